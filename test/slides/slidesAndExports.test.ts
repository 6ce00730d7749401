import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import * as Y from 'yjs';
import { eraseAuthor } from '../../src/collab/documentErasure.js';
import { documentRecordId } from '../../src/collab/DocumentStore.js';
import type { DeckView } from '../../src/protocol/index.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import {
  connectAs,
  createClassroom,
  joinedStudent,
  liveLesson,
  tokenFor,
} from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { pageContents } from '../support/pdfContents.js';
import { suiteAula } from '../support/suiteAula.js';
import { encryptedPdf, pdfWithEmbeddedFile, scriptedPdf, slidesPdf, brokenPdf } from '../support/testPdfs.js';
import { waitFor, type TestAula } from '../support/testAula.js';

// Slides over HTTP with the real server and database: upload, signed links,
// the class's stage, exports with the strokes as vector paths, erasure.

let aula: TestAula;
const logs: string[] = [];
const clients: ClassroomClient[] = suiteAula((started) => (aula = started), {}, { logs });

async function upload(classroomId: string, token: string, bytes: Uint8Array, name = 'lesson.pdf') {
  return fetch(`${aula.url}/api/classrooms/${classroomId}/slides?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
    body: Buffer.from(bytes),
  });
}

describe('slides', () => {
  it("keeps a teacher's PDF and hands the class a short-lived link to it; the stage follows the teacher", async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: `anna-${classroom._id}` });
    clients.push(anna.client);
    const token = await tokenFor(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    const response = await upload(classroom._id, token, await slidesPdf(5));
    expect(response.status).toBe(201);
    const { deck } = (await response.json()) as { deck: DeckView };
    expect(deck).toMatchObject({
      name: 'lesson.pdf',
      pages: 5,
      sizes: [
        [960, 540],
        [960, 540],
        [960, 540],
        [960, 540],
        [960, 540],
      ],
    });

    await teacher.request('board:stage', { mode: 'slides', deckId: deck.id, page: 3 });
    const stage = await anna.client.next('board:stage');
    expect(stage).toMatchObject({ mode: 'slides', page: 3, deck: { id: deck.id, pages: 5 } });
    const pdf = await fetch(`${aula.url}${stage.deck!.url}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()))).getPageCount()).toBe(5);

    // A link altered or past its time opens nothing.
    const forged = stage.deck!.url.replace(/s=[^&]+/, 's=AAAA');
    expect((await fetch(`${aula.url}${forged}`)).status).toBe(403);
    const expired = stage.deck!.url.replace(/e=\d+/, `e=${Math.floor(Date.now() / 1000) - 5}`);
    expect([403, 410]).toContain((await fetch(`${aula.url}${expired}`)).status);

    // A student cannot upload or list; the stage request is the teacher's.
    const studentToken = await tokenFor(aula, classroom._id, {
      id: `anna-${classroom._id}`,
      role: 'student',
    });
    expect((await upload(classroom._id, studentToken, await slidesPdf(1))).status).toBe(403);
    expect((await anna.client.raw('board:stage', { page: 2 })) as object).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });

    // Deleted: gone from the list, and the class is shown the board instead.
    const removed = await fetch(`${aula.url}/api/classrooms/${classroom._id}/slides/${deck.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(removed.status).toBe(204);
    expect(await anna.client.next('board:stage', (view) => view.deck === null)).toMatchObject({
      mode: 'board',
    });
  });

  it.each([
    ['not a PDF', async () => new TextEncoder().encode('hello'), 415, 'NOT_A_PDF'],
    ['encrypted', encryptedPdf, 422, 'PDF_ENCRYPTED'],
    ['broken', brokenPdf, 422, 'PDF_BROKEN'],
    ['with JavaScript', () => scriptedPdf('open'), 422, 'PDF_SCRIPTED'],
    ['with an embedded file', pdfWithEmbeddedFile, 422, 'PDF_EMBEDDED_FILES'],
    ['of 301 pages', () => slidesPdf(301, [100, 100]), 422, 'PDF_TOO_MANY_PAGES'],
    [
      'over 50 MB',
      async () => {
        const big = new Uint8Array(50 * 1024 * 1024 + 10);
        big.set(new TextEncoder().encode('%PDF-1.7'));
        return big;
      },
      413,
      'PDF_TOO_LARGE',
    ],
  ])('refuses an upload %s with its own code, and keeps nothing', async (_what, make, status, code) => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const token = await tokenFor(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    const response = await upload(classroom._id, token, await make());
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    const list = await fetch(`${aula.url}/api/classrooms/${classroom._id}/slides`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await list.json()) as { decks: unknown[] }).decks).toEqual([]);
    expect(logs.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });
});

describe('exports and erasure', () => {
  it('downloads the annotated slides and the board pages with the strokes as vector paths', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const token = await tokenFor(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    const { deck } = (await (await upload(classroom._id, token, await slidesPdf(3))).json()) as {
      deck: DeckView;
    };
    const board = new DocumentClient(teacher);
    await board.open();
    await board.draw(`s:${deck.id}:2`, [100, 100, 0.5, 300, 200, 0.5, 500, 150, 0.5], '#e03131');
    await board.draw('b:1', [50, 50, 0.5, 400, 300, 0.5], '#2f9e44');

    const annotated = await fetch(
      `${aula.url}/api/classrooms/${classroom._id}/slides/${deck.id}/annotated.pdf`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(annotated.status).toBe(200);
    const pages = await pageContents(new Uint8Array(await annotated.arrayBuffer()));
    expect(pages).toHaveLength(3);
    // Page 2 carries a filled path in the stroke's red; pages 1 and 3 only their text.
    expect(pages[1]).toMatch(/0\.878\d* 0\.19\d* 0\.19\d* rg/);
    expect(pages[1]).toMatch(/\bf\b/);
    expect(pages[0]).not.toMatch(/ rg\n[\s\S]*\bf\b/);

    const boardPdf = await fetch(`${aula.url}/api/classrooms/${classroom._id}/boards/class/board.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const boardPages = await pageContents(new Uint8Array(await boardPdf.arrayBuffer()));
    expect(boardPages).toHaveLength(1);
    expect(boardPages[0]).toMatch(/0\.18\d* 0\.619\d* 0\.266\d* rg/);
  });

  it('opens a board stored before strokes were packed, and exports its strokes beside packed ones', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    // The board as pages wrote it before: a pen stroke's points a shared array of decimals.
    const old = new Y.Doc();
    old.transact(() => {
      const shape = new Y.Map<unknown>();
      shape.set('id', 'old-1');
      shape.set('t', 'pen');
      shape.set('c', '#e03131');
      shape.set('w', 4);
      const pts = new Y.Array<number>();
      pts.push([100.5, 100.2, 0.5, 300.7, 200.1, 0.5, 500.3, 150.9, 0.5]);
      shape.set('pts', pts);
      old.getArray('page/b:1').push([shape]);
    });
    const header = {
      id: documentRecordId(classroom._id, 'board', null),
      classroomId: classroom._id,
      kind: 'board' as const,
      group: null,
    };
    const authors = new Map([[old.clientID, lmsUserKey('test-platform', `teacher-${classroom._id}`)]]);
    expect(
      await aula.services.documents.put(header, { state: Y.encodeStateAsUpdate(old), authors }, undefined),
    ).toBe(true);

    const teacher = await connectAs(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    clients.push(teacher);
    await teacher.request('join');
    await teacher.request('lesson:start');
    const board = new DocumentClient(teacher);
    await board.open();
    expect(board.shapes('b:1')).toMatchObject([
      { id: 'old-1', pts: [100.5, 100.2, 0.5, 300.7, 200.1, 0.5, 500.3, 150.9, 0.5] },
    ]);
    await board.drawFinished('b:1', [50, 50, 0.5, 400.4, 300.1, 0.6], '#2f9e44');
    expect(board.shapes('b:1')[1]!.pts).toBeInstanceOf(Uint8Array);

    const token = await tokenFor(aula, classroom._id, { id: `teacher-${classroom._id}`, role: 'teacher' });
    const boardPdf = await fetch(`${aula.url}/api/classrooms/${classroom._id}/boards/class/board.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(boardPdf.status).toBe(200);
    const [page] = await pageContents(new Uint8Array(await boardPdf.arrayBuffer()));
    // Both strokes as filled paths: the old one's red and the packed one's green.
    expect(page).toMatch(/0\.878\d* 0\.19\d* 0\.19\d* rg/);
    expect(page).toMatch(/0\.18\d* 0\.619\d* 0\.266\d* rg/);
  });

  it("erases a user's strokes from the boards, and nobody else's", async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const room = (await aula.services.rooms.peek(classroom._id))!;
    room.board.setDrawing('everyone');
    const annaId = `anna-${classroom._id}`;
    const anna = await joinedStudent(aula, classroom._id, { id: annaId });
    clients.push(anna.client);
    const teacherBoard = new DocumentClient(teacher);
    const annaBoard = new DocumentClient(anna.client);
    await teacherBoard.open();
    await annaBoard.open();
    await annaBoard.draw('b:1', [1, 1, 0.5], '#000000');
    await teacherBoard.draw('b:1', [2, 2, 0.5], '#ffffff');
    await room.collab.flush(5_000);
    const erased = await eraseAuthor(aula.services.documents, lmsUserKey('test-platform', annaId));
    expect(erased).toBe(1);
    // The live classroom merges the erasure on its next write and tells every page.
    await teacherBoard.draw('b:2');
    await room.collab.flush(5_000);
    await waitFor(() => teacherBoard.shapes('b:1').length === 1, {
      what: "anna's stroke gone from the teacher's page",
    });
    expect(teacherBoard.shapes('b:1')[0]).toMatchObject({ c: '#ffffff' });
  });
});
