import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAt, drag, drawStroke, shapeCount } from '../support/boardPage.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { createClassroom, joinedStudent } from '../support/classroomFixtures.js';
import { DocumentClient } from '../support/documentClient.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { pageContents } from '../support/pdfContents.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';
import { slidesPdf } from '../support/testPdfs.js';

// Every drawing tool in the real pages, drawn by the teacher with the mouse
// and seen by a student in another browser context: highlighter, straight
// line, arrow, ellipse, text, select/move/delete, the laser pointer that
// fades; then the annotated slides downloaded from the page with the strokes.

let aula: TestAula;
let users: ContextBrowser;
let classroomId: string;

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
  classroomId = (await createClassroom(aula, { title: 'Physik 8b', lobbyEnabled: false }))._id;
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

async function open(
  id: string,
  name: string,
  role: 'teacher' | 'student',
  classroom = classroomId,
): Promise<Page> {
  const page = await ClassroomPage.openAs(await users.newUser(), aula, classroom, { id, name, role });
  await page.join();
  return page.page;
}

const paths = (page: Page) =>
  page
    .locator('[data-testid=board-surface] path[data-testid=board-shape]')
    .evaluateAll((all) =>
      all.map((path) => ({ d: path.getAttribute('d') ?? '', opacity: path.getAttribute('opacity') })),
    );

describe('the whiteboard tools in the classroom pages', () => {
  it(
    'draws highlighter, line, arrow, ellipse and text for the class, moves and deletes a shape, shows a fading laser, and downloads the annotated slides',
    { timeout: 180_000 },
    async () => {
      const teacher = await open('teacher', 'Frau Lenz', 'teacher');
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('control-bar').waitFor();
      const student = await open('mia', 'Mia Wolf', 'student');
      await student.getByTestId('control-bar').waitFor();
      await teacher.getByTestId('stage-board').click();
      await expect.poll(() => student.getByTestId('board-stage').getAttribute('data-mode')).toBe('board');

      // Highlighter: a wide, see-through stroke.
      await teacher.getByTestId('tool-hl').click();
      await drag(teacher, [0.1, 0.1], [0.3, 0.15]);
      await expect.poll(() => shapeCount(student)).toBe('1');
      expect((await paths(student))[0]!.opacity).toBe('0.35');

      // Straight line and arrow: one segment, and a segment with its head (three more moves).
      await teacher.getByTestId('tool-line').click();
      await drag(teacher, [0.1, 0.3], [0.4, 0.3]);
      await teacher.getByTestId('tool-arrow').click();
      await drag(teacher, [0.1, 0.45], [0.4, 0.55]);
      await expect.poll(() => shapeCount(student)).toBe('3');
      const [, line, arrow] = await paths(student);
      expect(line!.d.match(/M/g)).toHaveLength(1);
      expect(arrow!.d.match(/M/g)).toHaveLength(2);

      // Ellipse: two arcs.
      await teacher.getByTestId('tool-ellipse').click();
      await drag(teacher, [0.6, 0.6], [0.8, 0.8]);
      await expect.poll(() => shapeCount(student)).toBe('4');
      expect((await paths(student))[3]!.d).toMatch(/a[\d.]+ [\d.]+ 0 1 0/);

      // Text: typed where the teacher clicked.
      await teacher.getByTestId('tool-text').click();
      await clickAt(teacher, [0.5, 0.1]);
      await teacher.getByTestId('board-text-input').fill('Ohmsches Gesetz');
      await teacher.getByTestId('board-text-input').press('Enter');
      await expect.poll(() => shapeCount(student)).toBe('5');
      await expect
        .poll(() => student.locator('[data-testid=board-surface] text').textContent())
        .toContain('Ohmsches Gesetz');

      // Select the ellipse and move it: the class sees it elsewhere; then delete it.
      await teacher.getByTestId('tool-select').click();
      const before = (await paths(student))[3]!.d;
      await drag(teacher, [0.7, 0.7], [0.5, 0.75]);
      await expect.poll(async () => (await paths(student))[3]!.d).not.toBe(before);
      await clickAt(teacher, [0.5, 0.75]);
      await teacher.getByTestId('board-delete-selected').click();
      await expect.poll(() => shapeCount(student)).toBe('4');
      expect((await paths(student)).some((path) => /a[\d.]+ [\d.]+ 0 1 0/.test(path.d))).toBe(false);

      // The laser pointer: a trail at the student while it moves, gone a moment after it stops.
      await teacher.getByTestId('tool-laser').click();
      const box = (await teacher.getByTestId('board-surface').boundingBox())!;
      for (let i = 0; i < 8; i++) {
        await teacher.mouse.move(box.x + box.width * (0.3 + i * 0.05), box.y + box.height * 0.5);
        await teacher.waitForTimeout(120);
      }
      await expect.poll(() => student.getByTestId('laser').locator('circle').count()).toBeGreaterThan(0);
      await expect.poll(() => student.getByTestId('laser').count(), { timeout: 5_000 }).toBe(0);
      expect(await shapeCount(student)).toBe('4');

      // Slides: uploaded in the page, a pen stroke in red on page 1, downloaded annotated.
      const dir = fs.mkdtempSync(path.join(aula.config.dataDir, 'upload-'));
      const pdfFile = path.join(dir, 'Stromkreise.pdf');
      fs.writeFileSync(pdfFile, await slidesPdf(3));
      await teacher.getByTestId('slides-menu').click();
      await teacher.getByTestId('slides-upload').setInputFiles(pdfFile);
      await expect.poll(() => student.getByTestId('slide-canvas').getAttribute('data-page')).toBe('1');
      await teacher.getByTestId('slides-menu').click();
      await teacher.getByTestId('tool-pen').click();
      await teacher.getByTestId('colour-e03131').click();
      await drawStroke(teacher);
      await expect.poll(() => shapeCount(student)).toBe('1');
      await teacher.getByTestId('slides-menu').click();
      const downloading = teacher.waitForEvent('download');
      await teacher.getByTestId('slides-download').first().click();
      const download = await downloading;
      const saved = path.join(dir, 'annotated.pdf');
      await download.saveAs(saved);
      const pages = await pageContents(new Uint8Array(fs.readFileSync(saved)));
      expect(pages).toHaveLength(3);
      // Page 1 carries a filled path in the stroke's red; page 2 none.
      expect(pages[0]).toMatch(/0\.878\d* 0\.19\d* 0\.19\d* rg/);
      expect(pages[1]).not.toMatch(/0\.878\d* 0\.19\d* 0\.19\d* rg/);
    },
  );

  it(
    "opens a breakout group's board from the teacher's panel, with the group's strokes, and draws on it for the group",
    { timeout: 120_000 },
    async () => {
      const classroom = (await createClassroom(aula, { title: 'Physik 8c', lobbyEnabled: false }))._id;
      const teacher = await open('teacher-c', 'Frau Lenz', 'teacher', classroom);
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('control-bar').waitFor();
      const students: ClassroomClient[] = [];
      try {
        for (const id of ['jan', 'ole'])
          students.push((await joinedStudent(aula, classroom, { id, name: id })).client);
        const moves = students.map((student) => student.next('breakout:moved'));
        await teacher.getByTestId('toggle-breakouts').click();
        await teacher.locator('[data-testid=breakout-form] summary').click();
        await teacher.getByTestId('breakout-name-0').fill('Rot');
        await teacher.getByTestId('breakout-name-1').fill('Blau');
        await teacher.getByTestId('breakout-open').click();
        const moved = await Promise.all(moves);
        const inRed = moved.findIndex((move) => move.group?.name === 'Rot');
        const red = new DocumentClient(students[inRed]!, { kind: 'board', group: moved[inRed]!.group!.id });
        await red.open();
        await red.draw('b:1', [100, 100, 0.5, 300, 200, 0.5], '#2f9e44');

        // The teacher opens Rot's board from the panel: the group's stroke is there.
        const index = (await teacher.getByTestId('breakout-group-0').textContent())?.includes('Rot') ? 0 : 1;
        await teacher.getByTestId(`breakout-board-${index}`).click();
        const dialog = teacher.getByTestId('group-board');
        await dialog.waitFor();
        await expect.poll(() => dialog.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');
        // Drawing in the dialog draws on the group's board, not the class's.
        await dialog.getByTestId('tool-pen').click();
        const box = (await dialog.getByTestId('board-surface').boundingBox())!;
        await teacher.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
        await teacher.mouse.down();
        await teacher.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 6 });
        await teacher.mouse.up();
        await waitFor(() => red.shapes('b:1').length === 2, { what: "the teacher's stroke in group Rot" });
      } finally {
        for (const student of students) student.close();
      }
    },
  );
});
