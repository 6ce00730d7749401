import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { encodeAwareness } from '../../src/collab/awarenessRelay.js';
import { documentRecordId } from '../../src/collab/DocumentStore.js';
import { COLLAB_REQUEST_BYTES, notesFragment, type ServerEvents } from '../../src/protocol/index.js';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, joinedStudent, liveLesson, tokenFor } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { appendParagraph, pageParagraphs } from '../support/notesText.js';
import { suiteAula } from '../support/suiteAula.js';
import { waitFor, type TestAula } from '../support/testAula.js';

// The shared notes end to end: real server, database and sockets. Who may
// write is asked per update; notes stay with the classroom across lessons;
// snapshots, restore, exports, erasure and bad input.

let aula: TestAula;
const logs: string[] = [];
const clients: ClassroomClient[] = suiteAula((started) => (aula = started), {}, { logs });
const NOTES = { kind: 'notes' as const, group: null };

async function notesLesson() {
  const lesson = await liveLesson(aula);
  clients.push(lesson.teacher);
  const anna = await joinedStudent(aula, lesson.classroom._id, {
    id: `anna-${lesson.classroom._id}`,
    name: 'Anna',
  });
  clients.push(anna.client);
  const { pages } = await lesson.teacher.request('notes:state');
  const teacherNotes = new DocumentClient(lesson.teacher, NOTES);
  const annaNotes = new DocumentClient(anna.client, NOTES);
  await teacherNotes.open();
  await annaNotes.open();
  return { ...lesson, anna, teacherNotes, annaNotes, pageId: pages[0]!.id };
}

function errorLines(): unknown[] {
  return logs.filter((line) => JSON.parse(line).level >= 50);
}

describe('shared notes', () => {
  it('lets the teacher write and the class read; a read-only student is refused by the server', async () => {
    const { teacherNotes, annaNotes, pageId } = await notesLesson();
    expect(teacherNotes.access).toBe('write');
    expect(annaNotes.access).toBe('read');
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Protokoll vom Montag'));
    await waitFor(() => pageParagraphs(annaNotes.doc, pageId).length === 1, { what: 'the text at Anna' });
    expect(pageParagraphs(annaNotes.doc, pageId)).toEqual(['Protokoll vom Montag']);

    const refused = await expectFailure(annaNotes.change((doc) => appendParagraph(doc, pageId, 'Quatsch')));
    expect(refused).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    const fresh = new DocumentClient(teacherNotes.client, NOTES);
    await fresh.open();
    expect(pageParagraphs(fresh.doc, pageId)).toEqual(['Protokoll vom Montag']);
  });

  it('lets everyone write when the teacher says so, chosen students only when chosen, and takes it back', async () => {
    const { teacher, teacherNotes, annaNotes, anna, pageId, classroom } = await notesLesson();
    await teacher.request('notes:writers', { mode: 'everyone' });
    await waitFor(() => annaNotes.access === 'write', { what: 'write access at Anna' });
    await annaNotes.change((doc) => appendParagraph(doc, pageId, 'Anna schreibt'));
    await waitFor(() => pageParagraphs(teacherNotes.doc, pageId).includes('Anna schreibt'), {
      what: "Anna's text at the teacher",
    });

    const ben = await joinedStudent(aula, classroom._id, { id: `ben-${classroom._id}`, name: 'Ben' });
    clients.push(ben.client);
    const benNotes = new DocumentClient(ben.client, NOTES);
    await benNotes.open();
    await teacher.request('notes:writers', { mode: 'chosen' });
    await teacher.request('notes:mayWrite', { participantId: anna.id, allowed: true });
    await waitFor(() => annaNotes.access === 'write' && benNotes.access === 'read', {
      what: 'chosen writers',
    });
    expect((await expectFailure(benNotes.change((doc) => appendParagraph(doc, pageId, 'x')))).code).toBe(
      'PERMISSION_DENIED',
    );
    await teacher.request('notes:writers', { mode: 'teachers' });
    await waitFor(() => annaNotes.access === 'read', { what: 'write access taken back' });
    expect((await expectFailure(annaNotes.change((doc) => appendParagraph(doc, pageId, 'y')))).code).toBe(
      'PERMISSION_DENIED',
    );
  });

  it("puts each writer's own name on their caret, whatever the page claimed", async () => {
    const { teacherNotes, anna, annaNotes } = await notesLesson();
    const seen = new Promise<ServerEvents['collab:awareness']>((resolve) =>
      teacherNotes.client.socket.once('collab:awareness', resolve),
    );
    const state = JSON.stringify({ user: { name: 'Die Lehrerin', color: '#ff0000' }, cursor: null });
    await anna.client.request('collab:awareness', {
      doc: NOTES,
      update: encodeAwareness([{ client: annaNotes.doc.clientID, clock: 1, state }]),
    });
    const { update } = await seen;
    const text = Buffer.from(update as Uint8Array).toString('latin1');
    expect(text).toContain('"name":"Anna"');
    expect(text).not.toContain('Die Lehrerin');
    expect(text).toContain('#ff0000');
  });

  it('keeps the notes for the next lesson, with a snapshot of the last and a new page beside the old', async () => {
    const { teacher, teacherNotes, pageId, classroom, lessonId } = await notesLesson();
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Vokabeln: Baum, Haus'));
    await teacher.request('lesson:end');
    await waitFor(
      async () =>
        (await aula.services.snapshots.list(documentRecordId(classroom._id, 'notes', null))).length === 1,
      { what: 'the lesson-end snapshot' },
    );
    const [snapshot] = await aula.services.snapshots.list(documentRecordId(classroom._id, 'notes', null));
    expect(snapshot).toMatchObject({ reason: 'lesson-end', lessonId });

    const next = await connectAs(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    clients.push(next);
    await next.request('join');
    await next.request('lesson:start');
    const state = await next.request('notes:state');
    expect(state.pages.map((page) => page.id)).toEqual([pageId]);
    const added = await next.request('notes:addPage', { title: 'Notizen vom 7. Dezember' });
    expect((await next.request('notes:state')).pages.map((page) => page.title)).toEqual([
      '',
      'Notizen vom 7. Dezember',
    ]);
    const notes = new DocumentClient(next, NOTES);
    await notes.open();
    expect(pageParagraphs(notes.doc, pageId)).toEqual(['Vokabeln: Baum, Haus']);
    expect(pageParagraphs(notes.doc, added.id)).toEqual([]);
  });

  it('restores a snapshot, keeping what was there as a snapshot of its own', async () => {
    const { teacher, teacherNotes, annaNotes, pageId } = await notesLesson();
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Erster Stand'));
    const first = await teacher.request('notes:snapshot', { name: 'Vor der Pause' });
    expect(first).toMatchObject({ name: 'Vor der Pause', reason: 'manual', pages: 1 });
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Zweiter Stand'));
    await waitFor(() => pageParagraphs(annaNotes.doc, pageId).length === 2, { what: 'both paragraphs' });

    expect(await teacher.request('notes:restore', { snapshotId: first.id })).toEqual({ ok: true });
    await waitFor(() => pageParagraphs(annaNotes.doc, pageId).join('|') === 'Erster Stand', {
      what: 'the restored text at Anna',
    });
    await waitFor(() => pageParagraphs(teacherNotes.doc, pageId).join('|') === 'Erster Stand', {
      what: 'the restored text at the teacher',
    });
    const { snapshots } = await teacher.request('notes:snapshots');
    expect(snapshots.map((snapshot) => snapshot.reason)).toEqual(['before-restore', 'manual']);
    // The teacher writes on after the restore.
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Weiter'));
    await waitFor(() => pageParagraphs(annaNotes.doc, pageId).length === 2, {
      what: 'text after the restore',
    });

    const student = await expectFailure(annaNotes.client.request('notes:restore', { snapshotId: first.id }));
    expect(student.code).toBe('PERMISSION_DENIED');
    const unknown = await expectFailure(teacher.request('notes:restore', { snapshotId: 'nosuchsnapshot' }));
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('exports the notes as Markdown, HTML and PDF, now and from the history, with unsafe links as text', async () => {
    const { teacher, teacherNotes, pageId, classroom, anna } = await notesLesson();
    await teacherNotes.change((doc) => {
      appendParagraph(doc, pageId, 'Siehe Wiki', 'https://de.wikipedia.org/');
      appendParagraph(doc, pageId, 'Klick mich', 'javascript:alert(1)');
    });
    const snapshot = await teacher.request('notes:snapshot', { name: 'Export' });
    const studentToken = await tokenFor(aula, classroom._id, {
      id: `anna-${classroom._id}`,
      role: 'student',
    });
    const teacherToken = await tokenFor(aula, classroom._id, {
      id: `teacher-${classroom._id}`,
      role: 'teacher',
    });
    const get = (path: string, token: string) =>
      fetch(`${aula.url}/api/classrooms/${classroom._id}/notes/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });

    const md = await get('export.md', studentToken);
    expect(md.status).toBe(200);
    const markdown = await md.text();
    expect(markdown).toContain('[Siehe Wiki](https://de.wikipedia.org/)');
    expect(markdown).toContain('Klick mich');
    expect(markdown).not.toContain('javascript:');

    const html = await get('export.html', studentToken);
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain('href="https://de.wikipedia.org/"');
    expect(page).not.toContain('javascript:');

    const pdf = await get('export.pdf', studentToken);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const history = await get(`snapshots/${snapshot.id}/export.md`, teacherToken);
    expect(await history.text()).toContain('Siehe Wiki');
    expect((await get(`snapshots/${snapshot.id}/export.md`, studentToken)).status).toBe(403);
    expect((await get('export.docx', studentToken)).status).toBe(400);
    expect((await get('snapshots/nosuch/export.md', teacherToken)).status).toBe(404);
    void anna;
  });

  it('refuses a 10 MB paste, a document past its cap, malformed updates and a flood of cursors; the notes stay intact', async () => {
    const { teacher, teacherNotes, annaNotes, pageId, anna, classroom } = await notesLesson();
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Bleibt'));

    // A paste over a request's limit gets PAYLOAD_TOO_LARGE; one of 10 MB exceeds what the
    // connection takes at all, which closes it (the page refuses such a paste before sending).
    const big = await expectFailure(
      teacherNotes.change((doc) => appendParagraph(doc, pageId, 'x'.repeat(COLLAB_REQUEST_BYTES))),
    );
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
    const vandal = await connectAs(aula, classroom._id, { id: `co-${classroom._id}`, role: 'teacher' });
    await vandal.request('join');
    const vandalNotes = new DocumentClient(vandal, NOTES);
    await vandalNotes.open();
    await expect(
      vandalNotes.change((doc) => appendParagraph(doc, pageId, 'x'.repeat(10_000_000))),
    ).rejects.toThrow();
    vandal.socket.close();
    const garbage = await teacher.raw('collab:sync', {
      doc: NOTES,
      message: Buffer.from([2, 8, 1, 2, 3, 250, 250]),
    });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INVALID_UPDATE' } });
    // A type outside the notes' pages.
    const fresh = new DocumentClient(teacher, NOTES);
    await fresh.open();
    expect((await expectFailure(fresh.change((doc) => doc.getMap('settings').set('x', 1)))).code).toBe(
      'INVALID_UPDATE',
    );
    // Past the cap (4 MB), in pastes under the request limit.
    const filler = new DocumentClient(teacher, NOTES);
    await filler.open();
    let full: string | undefined;
    for (let round = 0; round < 20 && !full; round++) {
      try {
        await filler.change((doc) =>
          appendParagraph(doc, `fill${round}`, 'y'.repeat(COLLAB_REQUEST_BYTES / 2)),
        );
      } catch (error) {
        full = (error as { error?: { code: string } }).error?.code;
      }
    }
    expect(full).toBe('DOCUMENT_FULL');
    // A flood of cursor moves is rate-limited, not relayed.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        anna.client.raw('collab:awareness', {
          doc: NOTES,
          update: encodeAwareness([
            { client: annaNotes.doc.clientID, clock: i + 1, state: '{"cursor":null}' },
          ]),
        }),
      ),
    );
    expect(answers.map((answer) => (answer as { error?: { code: string } }).error?.code)).toContain(
      'RATE_LIMITED',
    );

    const check = new DocumentClient(teacher, NOTES);
    await check.open();
    expect(pageParagraphs(check.doc, pageId)).toEqual(['Bleibt']);
    expect(check.doc.getMap('settings').size).toBe(0);
    expect(anna.client.socket.connected).toBe(true);
    expect(errorLines()).toEqual([]);
  });

  it("shows the notes read-only to a student waiting for the lesson, and the teacher's changes as they come", async () => {
    const lesson = await liveLesson(aula);
    clients.push(lesson.teacher);
    const { pages } = await lesson.teacher.request('notes:state');
    const teacherNotes = new DocumentClient(lesson.teacher, NOTES);
    await teacherNotes.open();
    await teacherNotes.change((doc) => appendParagraph(doc, pages[0]!.id, 'Heute: Bruchrechnung'));
    await lesson.teacher.request('lesson:end');

    const teacher = await connectAs(aula, lesson.classroom._id, {
      id: `teacher-${lesson.classroom._id}`,
      role: 'teacher',
    });
    clients.push(teacher);
    expect((await teacher.request('join')).status).toBe('lobby');
    const student = await connectAs(aula, lesson.classroom._id, {
      id: `early-${lesson.classroom._id}`,
      role: 'student',
    });
    clients.push(student);
    expect((await student.request('join')).status).toBe('lobby');
    const notes = new DocumentClient(student, NOTES);
    await notes.open();
    expect(notes.access).toBe('read');
    expect(pageParagraphs(notes.doc, pages[0]!.id)).toEqual(['Heute: Bruchrechnung']);
    expect((await expectFailure(notes.change((doc) => appendParagraph(doc, pages[0]!.id, 'x')))).code).toBe(
      'PERMISSION_DENIED',
    );
    // The board stays a lesson's.
    const board = await student.raw('collab:open', {
      doc: { kind: 'board', group: null },
      clientId: 5,
      message: Buffer.from([0, 0]),
    });
    expect(board).toMatchObject({ ok: false });
  });

  it("erases a user's name from the notes' history and carets, and keeps the text the class wrote", async () => {
    const { teacher, annaNotes, teacherNotes, pageId, classroom } = await notesLesson();
    await teacher.request('notes:writers', { mode: 'everyone' });
    await waitFor(() => annaNotes.access === 'write', { what: 'write access at Anna' });
    await annaNotes.change((doc) => appendParagraph(doc, pageId, 'Von Anna'));
    await waitFor(() => pageParagraphs(teacherNotes.doc, pageId).includes('Von Anna'), {
      what: "Anna's text",
    });
    const snapshot = await teacher.request('notes:snapshot', { name: 'Mit Anna' });
    expect(snapshot.contributors).toContain('Anna');
    await aula.services.rooms.peek(classroom._id).then((room) => room?.collab.flush(2_000));

    const annaKey = lmsUserKey('test-platform', `anna-${classroom._id}`);
    // The administrator's *Delete a user's data*, while the notes are open on this node.
    expect(
      await aula.lti.eraseUser({
        platformId: 'test-platform',
        issuer: 'https://lms.example',
        lmsUserId: `anna-${classroom._id}`,
      }),
    ).toMatchObject({ sharedDocuments: 1, notesSnapshots: 1 });
    const stored = await aula.services.snapshots.get(classroom._id, snapshot.id);
    expect(stored.contributors.map((contributor) => contributor.userKey)).not.toContain(annaKey);
    expect([...stored.authors.values()]).not.toContain(annaKey);
    const after = new Y.Doc();
    Y.applyUpdate(after, stored.state);
    expect(pageParagraphs(after, pageId)).toContain('Von Anna');
    const document = await aula.services.documents.load(documentRecordId(classroom._id, 'notes', null));
    expect([...document!.authors.values()]).not.toContain(annaKey);
    const text = new Y.Doc();
    Y.applyUpdate(text, document!.state);
    expect(text.getXmlFragment(notesFragment(pageId)).length).toBeGreaterThan(0);
    expect(pageParagraphs(text, pageId)).toContain('Von Anna');

    // The notes stayed open here: the next snapshot and the next write do not bring her name back.
    const later = await teacher.request('notes:snapshot', { name: 'Nach dem Löschen' });
    expect(later.contributors).not.toContain('Anna');
    await teacherNotes.change((doc) => appendParagraph(doc, pageId, 'Weiter ohne Anna'));
    await aula.services.rooms.peek(classroom._id).then((room) => room?.collab.flush(2_000));
    const rewritten = await aula.services.documents.load(documentRecordId(classroom._id, 'notes', null));
    expect([...rewritten!.authors.values()]).not.toContain(annaKey);
  });

  it("gives each breakout group its own notes, which the teacher sees and merges into the class's", async () => {
    const { teacher, teacherNotes, pageId, anna, classroom } = await notesLesson();
    const moved = anna.client.next('breakout:moved');
    await teacher.request('breakout:open', {
      groups: 2,
      names: ['Rot', 'Blau'],
      assignment: 'manual',
      manual: { [anna.id]: 0 },
    });
    const group = (await moved).group!.id;
    const groupNotes = { kind: 'notes' as const, group };
    const annaGroup = new DocumentClient(anna.client, groupNotes);
    await annaGroup.open();
    expect(annaGroup.access).toBe('write');
    await annaGroup.change((doc) => appendParagraph(doc, 'group', 'Ergebnis der Gruppe Rot'));
    // The class's notes stay out of reach of a student without the pen, in a group too.
    const outsider = await joinedStudent(aula, classroom._id, { id: `late-${classroom._id}` });
    clients.push(outsider.client);
    const peek = await outsider.client.raw('collab:open', {
      doc: groupNotes,
      clientId: 7,
      message: Buffer.from([0, 0]),
    });
    expect(peek).toMatchObject({ ok: false });

    const teacherGroup = new DocumentClient(teacher, groupNotes);
    await teacherGroup.open();
    expect(pageParagraphs(teacherGroup.doc, 'group')).toEqual(['Ergebnis der Gruppe Rot']);

    const back = anna.client.next('breakout:moved', (move) => move.group === null);
    await teacher.request('breakout:close', { countdownSeconds: 0 });
    await back;
    const { groups } = await teacher.request('notes:groups');
    expect(groups).toEqual([{ group, name: 'Rot', open: false, mergedAt: null }]);
    await teacher.request('notes:merge', { group, pageId, heading: 'Gruppe Rot' });
    await waitFor(() => pageParagraphs(teacherNotes.doc, pageId).includes('Ergebnis der Gruppe Rot'), {
      what: "the group's notes in the class's",
    });
    expect(pageParagraphs(teacherNotes.doc, pageId)).toEqual(['Gruppe Rot', 'Ergebnis der Gruppe Rot']);
    expect((await teacher.request('notes:groups')).groups[0]!.mergedAt).not.toBeNull();
    expect(
      (await expectFailure(anna.client.request('notes:merge', { group, pageId, heading: 'x' }))).code,
    ).toBe('PERMISSION_DENIED');
  });
});
