import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickAt, drag, drawStroke, shapeCount } from '../support/boardPage.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { pageContents } from '../support/pdfContents.js';
import { startTestAula, type TestAula } from '../support/testAula.js';
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

async function open(id: string, name: string, role: 'teacher' | 'student'): Promise<Page> {
  const page = await ClassroomPage.open(await users.newUser(), aula.url, {
    token: await tokenFor(aula, classroomId, { id, role, name }),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role,
    name,
  });
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
});
