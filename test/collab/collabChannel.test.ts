import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { encodeAwareness } from '../../src/collab/awarenessRelay.js';
import { COLLAB_REQUEST_BYTES } from '../../src/protocol/index.js';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { suiteAula } from '../support/suiteAula.js';
import { waitFor, type TestAula } from '../support/testAula.js';

// The collaboration channel end to end: real server, database and sockets;
// shared documents opened, changed and refused over the signalling connection.

let aula: TestAula;
const logs: string[] = [];
const clients: ClassroomClient[] = suiteAula((started) => (aula = started), {}, { logs });

async function classWithStudent() {
  const lesson = await liveLesson(aula);
  clients.push(lesson.teacher);
  const anna = await joinedStudent(aula, lesson.classroom._id, { id: `anna-${lesson.classroom._id}` });
  clients.push(anna.client);
  const teacherBoard = new DocumentClient(lesson.teacher);
  const annaBoard = new DocumentClient(anna.client);
  await teacherBoard.open();
  await annaBoard.open();
  const room = (await aula.services.rooms.peek(lesson.classroom._id))!;
  return { ...lesson, anna, teacherBoard, annaBoard, room };
}

describe('the collaboration channel', () => {
  it("delivers the teacher's stroke to a student, who may read but not write", async () => {
    const { teacherBoard, annaBoard } = await classWithStudent();
    expect(teacherBoard.access).toBe('write');
    expect(annaBoard.access).toBe('read');
    await teacherBoard.draw('b:1', [1, 2, 0.5, 3, 4, 0.5], '#e03131');
    await waitFor(() => annaBoard.shapes('b:1').length === 1, { what: 'the stroke at the student' });
    expect(annaBoard.shapes('b:1')[0]).toMatchObject({ t: 'pen', c: '#e03131', pts: [1, 2, 0.5, 3, 4, 0.5] });
  });

  it('refuses an update sent by hand from a student without the pen, and keeps the document as it was', async () => {
    const { teacherBoard, annaBoard, anna, classroom } = await classWithStudent();
    const refusal = await expectFailure(annaBoard.draw('b:1'));
    expect(refusal).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    // Built without the page's tools at all: a raw Yjs update.
    const forged = new Y.Doc();
    forged.getArray('page/b:9').push(['scribble']);
    const raw = await expectFailure(annaBoard.sendUpdate(Y.encodeStateAsUpdate(forged)));
    expect(raw.code).toBe('PERMISSION_DENIED');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(teacherBoard.shapes('b:1')).toEqual([]);
    const late = new DocumentClient(
      (await joinedStudent(aula, classroom._id, { id: `ben-${classroom._id}` })).client,
    );
    clients.push(late.client);
    await late.open();
    expect(late.shapes('b:1')).toEqual([]);
    expect(late.shapes('b:9')).toEqual([]);
    expect(anna.client.socket.connected).toBe(true);
  });

  it('hands the pen to everyone: students are told, may draw, and the others see it', async () => {
    const { teacherBoard, annaBoard, room } = await classWithStudent();
    room.drawing.setMode('everyone');
    room.collab.refreshAccess();
    await waitFor(() => annaBoard.access === 'write', { what: 'the pen at the student' });
    await annaBoard.draw('b:1', [5, 5, 0.5], '#2f9e44');
    await waitFor(() => teacherBoard.shapes('b:1').length === 1, {
      what: "the student's stroke at the teacher",
    });
    room.drawing.setMode('teachers');
    room.collab.refreshAccess();
    await waitFor(() => annaBoard.access === 'read', { what: 'the pen taken back' });
    expect((await expectFailure(annaBoard.draw('b:1'))).code).toBe('PERMISSION_DENIED');
  });

  it('refuses malformed, oversized and misaddressed messages with typed errors, nothing at error level', async () => {
    const { teacherBoard, teacher } = await classWithStudent();
    const garbage = await teacher.raw('collab:sync', {
      doc: { kind: 'board', group: null },
      message: Buffer.from([2, 8, 1, 2, 3, 250, 250, 250, 250, 250]),
    });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INVALID_UPDATE' } });
    const notBinary = await teacher.raw('collab:sync', {
      doc: { kind: 'board', group: null },
      message: 'abc',
    });
    expect(notBinary).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const unknownKind = await teacher.raw('collab:open', {
      doc: { kind: 'spreadsheet', group: null },
      clientId: 1,
      message: Buffer.from([0, 0]),
    });
    expect(unknownKind).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const huge = await teacher.raw('collab:sync', {
      doc: { kind: 'board', group: null },
      message: Buffer.alloc(COLLAB_REQUEST_BYTES + 10),
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const unopened = await teacher.raw('collab:sync', {
      doc: { kind: 'board', group: 'nogroup' },
      message: Buffer.from([2, 2, 0, 0]),
    });
    expect(unopened).toMatchObject({ ok: false, error: { code: 'DOCUMENT_NOT_OPEN' } });
    // Writing to a type the board does not have.
    const stray = await expectFailure(teacherBoard.change((doc) => doc.getMap('settings').set('x', 1)));
    expect(stray.code).toBe('INVALID_UPDATE');
    // That copy keeps its refused change; a page opening afresh writes on.
    const board = new DocumentClient(teacher);
    await board.open();
    // Writing as another page's Yjs client.
    const other = new Y.Doc();
    other.getArray('page/b:2').push(['forged']);
    expect((await expectFailure(board.sendUpdate(Y.encodeStateAsUpdate(other)))).code).toBe('INVALID_UPDATE');
    // The document is intact and still takes changes.
    await board.draw('b:1');
    expect(board.shapes('b:1')).toHaveLength(1);
    expect(board.shapes('b:2')).toEqual([]);
    void teacherBoard;
    expect(logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });

  it('keeps awareness to ten messages a second per person, and only about their own client', async () => {
    const { teacherBoard, annaBoard, anna } = await classWithStudent();
    const own = encodeAwareness([{ client: annaBoard.doc.clientID, clock: 1, state: '{"laser":[1,2]}' }]);
    const foreign = encodeAwareness([{ client: teacherBoard.doc.clientID, clock: 1, state: '{}' }]);
    const doc = { kind: 'board' as const, group: null };
    expect(await anna.client.raw('collab:awareness', { doc, update: foreign })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_UPDATE' },
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        anna.client.raw('collab:awareness', {
          doc,
          update: encodeAwareness([{ client: annaBoard.doc.clientID, clock: i + 2, state: '{}' }]),
        }),
      ),
    );
    const codes = answers.map((answer) => (answer as { ok: boolean; error?: { code: string } }).error?.code);
    expect(codes.filter((code) => code === undefined).length).toBeLessThanOrEqual(20);
    expect(codes).toContain('RATE_LIMITED');
    void own;
  });

  it('refuses growth past the cap with DOCUMENT_FULL, and still lets the teacher clear pages', async () => {
    const { teacherBoard, annaBoard } = await classWithStudent();
    const chunk = Array.from({ length: 150_000 }, (_, i) => i % 997);
    let full: string | undefined;
    for (let page = 0; page < 20 && !full; page++) {
      try {
        await teacherBoard.draw(`b:${page}`, chunk);
      } catch (error) {
        full = (error as { error?: { code: string } }).error?.code;
      }
    }
    expect(full).toBe('DOCUMENT_FULL');
    // Clearing every page is a delete: it goes through however full the board is.
    const pages = Array.from({ length: 20 }, (_, page) => `page/b:${page}`);
    await teacherBoard.change((doc) => {
      for (const name of pages) doc.getArray(name).delete(0, doc.getArray(name).length);
    });
    await waitFor(() => pages.every((name) => annaBoard.doc.getArray(name).length === 0), {
      what: 'the cleared pages at the student',
    });
    // The refused stroke is still in the teacher's copy, so the next one leaves a gap: the server
    // says so, and opening again (by state vector, as the page does) sends both, the refused one
    // deleted by now and costing next to nothing.
    expect((await expectFailure(teacherBoard.draw('b:0'))).code).toBe('DOCUMENT_OUT_OF_SYNC');
    await teacherBoard.open();
    await waitFor(() => annaBoard.shapes('b:0').length === 1, { what: 'the stroke after the gap' });
    await teacherBoard.draw('b:0');
    await waitFor(() => annaBoard.shapes('b:0').length === 2, { what: 'a stroke on the cleared board' });
  });
});
