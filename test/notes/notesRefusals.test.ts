import { describe, expect, it } from 'vitest';
import { encodeAwareness } from '../../src/collab/awarenessRelay.js';
import { COLLAB_REQUEST_BYTES } from '../../src/protocol/index.js';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, joinedStudent } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { appendParagraph, pageParagraphs } from '../support/notesText.js';
import { suiteAula } from '../support/suiteAula.js';
import { waitFor, type TestAula } from '../support/testAula.js';
import { notesLesson as openNotesLesson } from './notesLesson.js';

// The shared notes end to end, who may write and what is refused: the server
// asks per update, refuses without acknowledgement with a typed event, and
// the notes stay intact; nothing reaches the error log.

let aula: TestAula;
const logs: string[] = [];
const clients: ClassroomClient[] = suiteAula((started) => (aula = started), {}, { logs });
const NOTES = { kind: 'notes' as const, group: null };
const notesLesson = () => openNotesLesson(aula, clients);

function errorLines(): unknown[] {
  return logs.filter((line) => JSON.parse(line).level >= 50);
}

describe('shared notes: who may write, and bad input', () => {
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
    const garbage = await teacher.refusalOf('collab:sync', {
      doc: NOTES,
      message: Buffer.from([2, 8, 1, 2, 3, 250, 250]),
    });
    expect(garbage).toMatchObject({ doc: NOTES, message: 'collab:sync', error: { code: 'INVALID_UPDATE' } });
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
    for (let i = 0; i < 40; i++)
      anna.client.send('collab:awareness', {
        doc: NOTES,
        update: encodeAwareness([{ client: annaNotes.doc.clientID, clock: i + 1, state: '{"cursor":null}' }]),
      });
    const limited = await anna.client.next('collab:refused', ({ error }) => error.code === 'RATE_LIMITED');
    expect(limited).toMatchObject({ doc: NOTES, message: 'collab:awareness' });

    const check = new DocumentClient(teacher, NOTES);
    await check.open();
    expect(pageParagraphs(check.doc, pageId)).toEqual(['Bleibt']);
    expect(check.doc.getMap('settings').size).toBe(0);
    expect(anna.client.socket.connected).toBe(true);
    expect(errorLines()).toEqual([]);
  });
});
