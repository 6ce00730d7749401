import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawStroke } from '../support/boardPage.js';
import { createClassroom } from '../support/classroomFixtures.js';
import { chooseLanguage, joinedTab, openStage, type ClassroomStage } from '../support/classroomTab.js';
import { sweepUncovered } from '../support/screenChecks.js';
import { slidesPdf } from '../support/testPdfs.js';

// The slides and the whiteboard in the same sweep as every other panel:
// the teacher's stage with the slides, their thumbnails and the pen's tools,
// a student who holds the pen, and the blank board. No horizontal scrolling
// at 320 px and 200 % zoom, 24x24 targets, no serious axe finding, no
// control under another, both languages. Photographed into
// test-results/screenshots/board/.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'board');
let stage: ClassroomStage;

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  stage = await openStage();
});

afterAll(async () => {
  await stage?.close();
});

describe('slides and the whiteboard at every size', () => {
  it(
    'reflow at 320 px and 200 % zoom, 24x24 targets, nothing covered and no serious axe finding',
    { timeout: 900_000 },
    async () => {
      const classroom = await createClassroom(stage.aula, { title: 'Geschichte 10b', lobbyEnabled: false });
      const teacher = await joinedTab(stage, classroom._id, {
        id: 'bd-teacher',
        role: 'teacher',
        name: 'Herr Roth',
      });
      const anna = await joinedTab(stage, classroom._id, {
        id: 'bd-anna',
        role: 'student',
        name: 'Anna Weber',
      });
      const pdfFile = path.join(
        fs.mkdtempSync(path.join(stage.aula.config.dataDir, 'upload-')),
        'Weimar.pdf',
      );
      fs.writeFileSync(pdfFile, await slidesPdf(6));

      // The slides on the stage, Anna with the pen and a stroke of hers on them.
      await teacher.getByTestId('slides-menu').click();
      await teacher.getByTestId('slides-upload').setInputFiles(pdfFile);
      await teacher.getByTestId('slides-deck').first().waitFor();
      await teacher.getByTestId('slides-menu').click();
      await expect
        .poll(() => anna.getByTestId('slide-canvas').first().getAttribute('data-page'), { timeout: 20_000 })
        .toBe('1');
      await teacher.getByTestId('drawing-menu').click();
      await teacher.locator('label', { hasText: 'Anna Weber' }).getByTestId('may-draw').check();
      await teacher.getByTestId('drawing-menu').click();
      await anna.getByTestId('board-tools').waitFor({ timeout: 20_000 });
      await drawStroke(anna);
      await expect.poll(() => teacher.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');

      const problems: string[] = [];
      const shoot = (pages: Array<[Page, string]>, code: 'en' | 'de') =>
        sweepUncovered(problems, pages, code, SCREENSHOTS);
      for (const code of ['en', 'de'] as const) {
        await chooseLanguage([teacher, anna], code);
        await teacher.getByTestId('stage-slides').click();
        await expect.poll(() => anna.getByTestId('board-stage').getAttribute('data-mode')).toBe('slides');
        await shoot(
          [
            [teacher, 'teacher-slides'],
            [anna, 'student-slides-pen'],
          ],
          code,
        );
        await teacher.setViewportSize({ width: 1280, height: 800 });
        await teacher.getByTestId('stage-board').click();
        await expect.poll(() => anna.getByTestId('board-stage').getAttribute('data-mode')).toBe('board');
        await shoot(
          [
            [teacher, 'teacher-board'],
            [anna, 'student-board-pen'],
          ],
          code,
        );
      }
      expect(problems).toEqual([]);
    },
  );
});
