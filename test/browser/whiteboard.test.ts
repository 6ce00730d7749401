import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { drag, drawStroke } from '../support/boardPage.js';
import { expectFailure } from '../support/classroomClient.js';
import { createClassroom, joinedStudent, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { DocumentClient } from '../support/documentClient.js';
import { drivable, launchFirefox, type TestFirefox } from '../support/firefox.js';
import { LessonPage } from '../support/lessonPage.js';
import { accessibilityFindings, settle } from '../support/pageChecks.js';
import { startTestAula, type TestAula } from '../support/testAula.js';
import { slidesPdf } from '../support/testPdfs.js';

// Slides and the whiteboard in the real pages: the teacher uploads a PDF in
// the lesson and pages through it while two students follow, one in
// Chromium and one in Firefox; a student given the pen draws and everyone
// sees it, the one without the pen has no tools. Screens are photographed
// into test-results/screenshots/features/ (390x844 too) and checked by axe-core.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'features');

let aula: TestAula;
let users: ContextBrowser;
let firefox: TestFirefox;
let classroomId: string;
let pdfFile: string;
const findings: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  aula = await startTestAula();
  users = await launchUsers();
  firefox = await launchFirefox({});
  classroomId = (await createClassroom(aula, { title: 'Geschichte 10a', lobbyEnabled: false }))._id;
  pdfFile = path.join(fs.mkdtempSync(path.join(aula.config.dataDir, 'upload-')), 'Weimarer Republik.pdf');
  fs.writeFileSync(pdfFile, await slidesPdf(12));
});

afterAll(async () => {
  await firefox?.close();
  await users?.close();
  await aula?.stop();
});

async function open(
  id: string,
  name: string,
  role: 'teacher' | 'student',
  viewport?: { width: number; height: number },
) {
  const page = await ClassroomPage.openAs(await users.newUser(), aula, classroomId, { id, name, role });
  if (viewport) await page.page.setViewportSize(viewport);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await settle(page);
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
  findings.push(...(await accessibilityFindings(page)).map((finding) => `${name}: ${finding}`));
}

const shownPage = (page: Page) => page.getByTestId('slide-canvas').first().getAttribute('data-page');

describe('slides and the whiteboard in the classroom pages', () => {
  it(
    'the teacher pages through uploaded slides while a Chromium and a Firefox student follow; a student with the pen draws for all, one without is refused, and the board survives a reload',
    { timeout: 180_000 },
    async () => {
      const teacherPage = await open('teacher', 'Herr Roth', 'teacher');
      await teacherPage.join();
      await teacherPage.page.getByTestId('start-lesson').click();
      const teacher = teacherPage.page;
      await teacher.getByTestId('control-bar').waitFor();

      const annaPage = await open('anna', 'Anna Weber', 'student', { width: 390, height: 844 });
      await annaPage.join();
      const anna = annaPage.page;
      await anna.getByTestId('control-bar').waitFor();

      const ben = new LessonPage(
        drivable(await (await firefox.browser.createBrowserContext()).newPage()),
        'firefox',
        'Ben Schulz',
      );
      await ben.open(aula.url, {
        token: await tokenFor(aula, classroomId, { id: 'ben', role: 'student', name: 'Ben Schulz' }),
        classroomId,
        role: 'student',
      });
      await ben.click('join');
      await ben.waitFor('control-bar', 30_000);

      // The teacher uploads the slides in the lesson and shows them.
      await teacher.getByTestId('slides-menu').click();
      await teacher.getByTestId('slides-upload').setInputFiles(pdfFile);
      await teacher.getByTestId('slides-deck').first().waitFor();
      await expect
        .poll(() => teacher.getByTestId('board-stage').getAttribute('data-mode'), { timeout: 20_000 })
        .toBe('slides');
      await teacher.getByTestId('slides-menu').click();
      await expect.poll(() => shownPage(teacher), { timeout: 20_000 }).toBe('1');
      await expect.poll(() => shownPage(anna), { timeout: 20_000 }).toBe('1');
      await ben.until(
        async () => (await ben.attribute('slide-canvas', 'data-page')) === '1',
        'the first slide in Firefox',
      );
      // The slide is drawn: pdf.js painted non-white pixels into the canvas.
      const painted = await ben.page.evaluate(() => {
        const canvas = document.querySelector('[data-testid=slide-canvas]') as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! < 200) ink += 1;
        return ink;
      }, undefined);
      expect(painted).toBeGreaterThan(100);

      // Paging: the buttons, then the arrow keys, then a thumbnail.
      await teacher.getByTestId('page-next').click();
      await expect.poll(() => shownPage(anna)).toBe('2');
      await teacher.getByTestId('board-stage').press('ArrowRight');
      await expect.poll(() => shownPage(anna)).toBe('3');
      await teacher.getByTestId('slide-thumbnail').nth(4).click();
      await expect.poll(() => shownPage(anna)).toBe('5');
      await ben.until(
        async () => (await ben.attribute('slide-canvas', 'data-page')) === '5',
        'page 5 in Firefox',
      );

      // Ben looks back on his own and returns to the teacher's page.
      await ben.click('page-previous');
      await ben.until(
        async () => (await ben.attribute('slide-canvas', 'data-page')) === '4',
        'his own page 4',
      );
      await teacher.getByTestId('page-next').click();
      await expect.poll(() => shownPage(anna)).toBe('6');
      expect(await ben.attribute('slide-canvas', 'data-page')).toBe('4');
      await ben.click('return-to-teacher');
      await ben.until(
        async () => (await ben.attribute('slide-canvas', 'data-page')) === '6',
        "back on the teacher's page",
      );
      await shoot(anna, 'en-slides-student');
      await shoot(teacher, 'en-slides-teacher');

      // Nobody but the teacher draws yet: no tools for the students.
      expect(await anna.getByTestId('board-tools').count()).toBe(0);
      expect(await anna.getByTestId('board-view-only').count()).toBe(1);

      // The teacher gives Anna the pen from the list of participants; her tools appear and she draws.
      await teacher.getByTestId('drawing-menu').click();
      await teacher.locator('label', { hasText: 'Anna Weber' }).getByTestId('may-draw').check();
      await teacher.getByTestId('drawing-menu').click();
      await anna.getByTestId('board-tools').waitFor({ timeout: 20_000 });
      await drawStroke(anna);
      await expect.poll(() => teacher.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');
      await ben.until(
        async () => (await ben.attribute('board-surface', 'data-shapes')) === '1',
        "Anna's stroke in Firefox",
      );
      expect(await ben.text('board-tools')).toBe('');
      await shoot(anna, 'en-slides-drawing');

      // The blank board: the teacher switches, draws, and Anna undoes only her own strokes.
      await teacher.getByTestId('stage-board').click();
      await expect.poll(() => anna.getByTestId('board-stage').getAttribute('data-mode')).toBe('board');
      await drawStroke(teacher);
      await drawStroke(anna);
      await expect.poll(() => teacher.getByTestId('board-surface').getAttribute('data-shapes')).toBe('2');
      await anna.getByTestId('board-undo').click();
      await expect.poll(() => teacher.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');
      await shoot(teacher, 'en-board-teacher');

      // A rectangle, then the eraser takes it away again.
      await teacher.getByTestId('tool-rect').click();
      await drag(teacher, [0.75, 0.6], [0.9, 0.85]);
      await expect.poll(() => anna.getByTestId('board-surface').getAttribute('data-shapes')).toBe('2');
      await teacher.getByTestId('tool-eraser').click();
      await drag(teacher, [0.8, 0.7], [0.81, 0.71]);
      await expect.poll(() => anna.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');

      // A student without the pen, sending an update by hand past the page: the server refuses it, typed.
      const carl = await joinedStudent(aula, classroomId, { id: 'carl', name: 'Carl Kühn' });
      const byHand = new DocumentClient(carl.client);
      await byHand.open();
      expect(byHand.access).toBe('read');
      expect((await expectFailure(byHand.draw('b:1'))).code).toBe('PERMISSION_DENIED');
      await teacher.waitForTimeout(300);
      expect(await teacher.getByTestId('board-surface').getAttribute('data-shapes')).toBe('1');
      carl.client.close();

      // The board survives a reload: the teacher's page comes back with the stroke.
      await teacher.reload();
      await teacherPage.join();
      await expect
        .poll(() => teacher.getByTestId('board-surface').getAttribute('data-shapes'), { timeout: 20_000 })
        .toBe('1');
      expect(await teacher.getByTestId('board-stage').getAttribute('data-mode')).toBe('board');

      // Back to cameras for everyone.
      await teacher.getByTestId('stage-cameras').click();
      await expect.poll(() => anna.getByTestId('board-stage').count()).toBe(0);
      expect(findings).toEqual([]);
    },
  );
});
