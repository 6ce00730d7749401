import { describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { appendParagraph, pageParagraphs } from '../support/notesText.js';
import { suiteAula } from '../support/suiteAula.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// The notes outlive the process that held them: the text, the pages, who
// may write and the snapshots are written on shutdown (or were already),
// and the next process (a restart, or another node taking the classroom
// over) serves them from the database.

let aula: TestAula;
const clients: ClassroomClient[] = suiteAula((started) => (aula = started));
const track = <T extends ClassroomClient>(client: T) => {
  clients.push(client);
  return client;
};
const NOTES = { kind: 'notes' as const, group: null };

describe('the notes across a restart', () => {
  it('keeps the text, the pages, the chosen writers and the snapshots when another process takes the classroom over', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const other = await startTestAula({ MONGODB_URI: aula.mongoUri });
    try {
      const teacher = track(await connectAs(other, classroom._id, { id: 'teacher-n', role: 'teacher' }));
      await teacher.request('join');
      await teacher.request('lesson:start');
      const student = track(await connectAs(other, classroom._id, { id: 'nele', role: 'student' }));
      const joined = await student.request('join');
      expect(joined.status).toBe('joined');
      const first = (await teacher.request('notes:state')).pages[0]!.id;
      const second = (await teacher.request('notes:addPage', { title: 'Notizen vom 7. Dezember' })).id;
      await teacher.request('notes:writers', { mode: 'chosen' });
      await teacher.request('notes:mayWrite', { participantId: joined.self.id, allowed: true });
      const notes = new DocumentClient(teacher, NOTES);
      await notes.open();
      await notes.change((doc) => appendParagraph(doc, first, 'Alte Stunde'));
      const snapshot = await teacher.request('notes:snapshot', { name: 'Vor dem Umzug' });
      // Right after the last change: shutdown writes what the debounce has not yet.
      await notes.change((doc) => appendParagraph(doc, second, 'Heute: Balladen'));
      await other.close();

      const teacherBack = track(await connectAs(aula, classroom._id, { id: 'teacher-n', role: 'teacher' }));
      await teacherBack.request('join');
      const studentBack = track(await connectAs(aula, classroom._id, { id: 'nele', role: 'student' }));
      const rejoined = await studentBack.request('join');
      if (rejoined.status !== 'joined') throw new Error(`nele did not join again: ${rejoined.status}`);
      const state = await studentBack.request('notes:state');
      expect(state.pages.map((page) => [page.id, page.title])).toEqual([
        [first, ''],
        [second, 'Notizen vom 7. Dezember'],
      ]);
      expect(state.writers).toEqual({ mode: 'chosen', chosen: [rejoined.self.id] });
      const { snapshots } = await teacherBack.request('notes:snapshots');
      expect(snapshots.map((taken) => taken.id)).toContain(snapshot.id);

      const back = new DocumentClient(studentBack, NOTES);
      await back.open();
      expect(back.access).toBe('write');
      expect(pageParagraphs(back.doc, first)).toEqual(['Alte Stunde']);
      expect(pageParagraphs(back.doc, second)).toEqual(['Heute: Balladen']);
      // Nele may still write here: her text reaches the teacher on the new process.
      const teacherNotes = new DocumentClient(teacherBack, NOTES);
      await teacherNotes.open();
      await back.change((doc) => appendParagraph(doc, second, 'Nele schreibt weiter'));
      await waitFor(() => pageParagraphs(teacherNotes.doc, second).includes('Nele schreibt weiter'), {
        what: "Nele's text at the teacher",
      });
      // Taking the pen back holds on the new process too.
      await teacherBack.request('notes:mayWrite', { participantId: rejoined.self.id, allowed: false });
      await waitFor(() => back.access === 'read', { what: 'write access taken back' });
      expect((await expectFailure(back.change((doc) => appendParagraph(doc, second, 'x')))).code).toBe(
        'PERMISSION_DENIED',
      );
      // The snapshot taken on the old process restores on the new one.
      expect(await teacherBack.request('notes:restore', { snapshotId: snapshot.id })).toEqual({ ok: true });
      await waitFor(() => pageParagraphs(teacherNotes.doc, second).length === 0, {
        what: 'the restored notes',
      });
      expect(pageParagraphs(teacherNotes.doc, first)).toEqual(['Alte Stunde']);
    } finally {
      await other.close();
    }
  });
});
