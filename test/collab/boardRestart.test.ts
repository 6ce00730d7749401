import { describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { suiteAula } from '../support/suiteAula.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// The board outlives the process that held it: strokes, the stage and the
// pen are written on shutdown, and the next process (a restart, or another
// node taking the classroom over) serves them from the database.

let aula: TestAula;
const clients: ClassroomClient[] = suiteAula((started) => (aula = started));
const track = <T extends ClassroomClient>(client: T) => {
  clients.push(client);
  return client;
};

describe('the board across a restart', () => {
  it('keeps strokes, the stage and the pen when another process takes the classroom over', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const other = await startTestAula({ MONGODB_URI: aula.mongoUri });
    try {
      const teacher = track(await connectAs(other, classroom._id, { id: 'teacher-k', role: 'teacher' }));
      await teacher.request('join');
      await teacher.request('lesson:start');
      const student = track(await connectAs(other, classroom._id, { id: 'kim', role: 'student' }));
      const joined = await student.request('join');
      expect(joined.status).toBe('joined');
      const board = new DocumentClient(teacher);
      await board.open();
      await board.draw('b:1', [1, 2, 0.5, 3, 4, 0.5], '#e03131');
      await board.draw('b:2', [5, 6, 0.5, 7, 8, 0.5], '#1971c2');
      await teacher.request('board:stage', { mode: 'board', boardPage: 'b:2' });
      await teacher.request('board:drawing', { mode: 'chosen' });
      await teacher.request('board:mayDraw', { participantId: joined.self.id, allowed: true });
      // Right after the last stroke: shutdown writes what the debounce has not yet.
      await other.close();

      const teacherBack = track(await connectAs(aula, classroom._id, { id: 'teacher-k', role: 'teacher' }));
      await teacherBack.request('join');
      const studentBack = track(await connectAs(aula, classroom._id, { id: 'kim', role: 'student' }));
      const rejoined = await studentBack.request('join');
      if (rejoined.status !== 'joined') throw new Error(`kim did not join again: ${rejoined.status}`);
      const state = await studentBack.request('board:state');
      expect(state.stage).toMatchObject({ mode: 'board', boardPage: 'b:2' });
      expect(state.drawing).toEqual({ mode: 'chosen', chosen: [rejoined.self.id] });

      const back = new DocumentClient(studentBack);
      await back.open();
      expect(back.access).toBe('write');
      expect(back.shapes('b:1')).toMatchObject([{ c: '#e03131', pts: [1, 2, 0.5, 3, 4, 0.5] }]);
      expect(back.shapes('b:2')).toMatchObject([{ c: '#1971c2' }]);
      // Kim still holds the pen here: her stroke reaches the teacher on the new process.
      const teacherBoard = new DocumentClient(teacherBack);
      await teacherBoard.open();
      await back.draw('b:2');
      await waitFor(() => teacherBoard.shapes('b:2').length === 2, { what: "Kim's stroke at the teacher" });

      // Taking the pen back holds on the new process too.
      await teacherBack.request('board:mayDraw', { participantId: rejoined.self.id, allowed: false });
      await waitFor(() => back.access === 'read', { what: 'the pen taken back' });
      expect((await expectFailure(back.draw('b:2'))).code).toBe('PERMISSION_DENIED');
      expect(teacherBoard.shapes('b:2')).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});
