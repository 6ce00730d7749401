import { describe, expect, it } from 'vitest';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { lessonWithStudents } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { suiteAula } from '../support/suiteAula.js';
import { waitFor, type TestAula } from '../support/testAula.js';

// Breakout rooms: each group draws on a board of its own; the teacher, in
// the main room, opens every group's board; nobody else sees it.

let aula: TestAula;
const clients: ClassroomClient[] = suiteAula((started) => (aula = started));

describe("a breakout group's board", () => {
  it('is written by its members, seen and written by the teacher from the main room, and closed to other groups', async () => {
    const { teacher, students } = await lessonWithStudents(aula, ['g1', 'g2', 'g3', 'g4'], clients);
    const moves = students.map((s) => s.client.next('breakout:moved'));
    await teacher.request('breakout:open', { groups: 2, names: ['Rot', 'Blau'], assignment: 'auto' });
    const moved = await Promise.all(moves);
    const red = students.filter((_s, i) => moved[i]!.group!.name === 'Rot');
    const blue = students.filter((_s, i) => moved[i]!.group!.name === 'Blau');
    const redGroup = moved.find((m) => m.group!.name === 'Rot')!.group!.id;
    const doc = { kind: 'board' as const, group: redGroup };

    const member = new DocumentClient(red[0]!.client, doc);
    await member.open();
    expect(member.access).toBe('write');
    await member.draw('b:1', [1, 1, 0.5, 2, 2, 0.5], '#2f9e44');

    const fromMainRoom = new DocumentClient(teacher, doc);
    await fromMainRoom.open();
    expect(fromMainRoom.access).toBe('write');
    expect(fromMainRoom.shapes('b:1')).toMatchObject([{ c: '#2f9e44' }]);
    await fromMainRoom.draw('b:1');
    await waitFor(() => member.shapes('b:1').length === 2, { what: "the teacher's stroke in the group" });

    const outsider = new DocumentClient(blue[0]!.client, doc);
    expect((await expectFailure(outsider.open())).code).toBe('PERMISSION_DENIED');
    // The class's board is another document: the group's strokes are not on it.
    const classBoard = new DocumentClient(teacher);
    await classBoard.open();
    expect(classBoard.shapes('b:1')).toEqual([]);
  });
});
