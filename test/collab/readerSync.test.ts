import { describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { suiteAula } from '../support/suiteAula.js';
import type { TestAula } from '../support/testAula.js';

// A page that may only read still answers the server's state vector with
// its sync step 2. Once someone erased a stroke, that step 2 repeats the
// board's deletions: it changes nothing, so it is no write to refuse.

let aula: TestAula;
const logs: string[] = [];
const clients: ClassroomClient[] = suiteAula((started) => (aula = started), {}, { logs });

describe('a reader opening a board', () => {
  it('opens a board someone erased on, and still may not delete anything', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const teacherBoard = new DocumentClient(teacher);
    await teacherBoard.open();
    await teacherBoard.draw('b:1', [1, 2, 0.5, 3, 4, 0.5]);
    await teacherBoard.draw('b:1', [5, 6, 0.5, 7, 8, 0.5]);
    await teacherBoard.change((doc) => doc.getArray('page/b:1').delete(0, 1));

    const carl = await joinedStudent(aula, classroom._id, { id: `carl-${classroom._id}` });
    clients.push(carl.client);
    const carlBoard = new DocumentClient(carl.client);
    await carlBoard.open();
    expect(carlBoard.access).toBe('read');
    expect(carlBoard.shapes('b:1')).toHaveLength(1);

    // A deletion of what is still there is a write, and refused.
    const refusal = await expectFailure(carlBoard.change((doc) => doc.getArray('page/b:1').delete(0, 1)));
    expect(refusal.code).toBe('PERMISSION_DENIED');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(teacherBoard.shapes('b:1')).toHaveLength(1);
    expect(logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });
});
