import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassroom } from '../support/classroomFixtures.js';
import { joinedTab, openStage, type ClassroomStage, type Person } from '../support/classroomTab.js';
import type { PageFacts } from '../support/pageChecks.js';
import { sweep, type Shot } from '../support/screenChecks.js';

// The panels panelsAndReflow does not reach: the shared notes, the
// recording's controls and consent question (Aula with AULA_RECORDING=on and
// a classroom that allows it), and the security code of an encrypted lesson.
// Same checks: no horizontal scrolling at 320 px and 200 % zoom, 24x24
// targets, no serious axe finding, no control under another, both languages.
// Photographed into test-results/screenshots/panels-more/.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'panels-more');
const recordingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-recordings-'));
let stage: ClassroomStage;

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  stage = await openStage({ AULA_RECORDING: 'on', AULA_RECORDING_DIR: recordingDir });
});

afterAll(async () => {
  await stage?.close();
  fs.rmSync(recordingDir, { recursive: true, force: true });
});

const joined = (classroomId: string, who: Person): Promise<Page> => joinedTab(stage, classroomId, who);

/** No control of what is open under another element. */
const uncovered = (_shot: Shot, facts: PageFacts, _viewport: unknown, where: string) =>
  facts.covered.map((line) => `${where}: covered ${line}`);

async function language(pages: Page[], code: 'en' | 'de'): Promise<void> {
  for (const page of pages) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('language').first().selectOption(code);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(code);
  }
}

async function atDesktop(page: Page, ...testIds: string[]): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const testId of testIds) await page.getByTestId(testId).click();
}

describe('notes, recording and the security code at every size', () => {
  it(
    'reflow at 320 px and 200 % zoom, 24x24 targets, nothing covered and no serious axe finding',
    { timeout: 900_000 },
    async () => {
      const recorded = await createClassroom(stage.aula, {
        title: 'Erdkunde 7b',
        lobbyEnabled: false,
        recordingAllowed: true,
      });
      const teacher = await joined(recorded._id, { id: 'rn-teacher', role: 'teacher', name: 'Frau Berg' });
      const anna = await joined(recorded._id, { id: 'rn-anna', role: 'student', name: 'Anna Weber' });
      const problems: string[] = [];
      const shoot = async (pages: Array<[Page, string]>, code: 'en' | 'de') =>
        problems.push(
          ...(await sweep(
            pages.map(([page, name]) => ({ page, name })),
            code,
            { dir: SCREENSHOTS, extra: uncovered },
          )),
        );
      for (const code of ['en', 'de'] as const) {
        await language([teacher, anna], code);
        // The teacher's panel with the recording's switch and start button; Anna's shared notes.
        await atDesktop(teacher, 'toggle-teacher');
        await teacher.getByTestId('recording-controls').waitFor();
        await atDesktop(anna, 'notes-open');
        await anna.getByTestId('notes-panel').waitFor();
        await shoot(
          [
            [teacher, 'teacher-recording-controls'],
            [anna, 'student-notes'],
          ],
          code,
        );
        await teacher.keyboard.press('Escape');
        await anna
          .getByTestId('notes-panel')
          .getByRole('button', { name: code === 'en' ? 'Close' : 'Schließen' })
          .click();

        // A recording starts: Anna is asked whether she may be recorded; the teacher sees it run.
        await atDesktop(teacher, 'toggle-teacher', 'recording-start');
        await teacher.keyboard.press('Escape');
        await anna.getByTestId('recording-consent').waitFor();
        await teacher.getByTestId('recording-indicator').waitFor();
        await shoot(
          [
            [teacher, 'teacher-recording-started'],
            [anna, 'student-recording-consent'],
          ],
          code,
        );
        await atDesktop(anna, 'consent-none');
        // Running: the indicator with its buttons over the stage.
        await shoot(
          [
            [teacher, 'teacher-recording'],
            [anna, 'student-recording'],
          ],
          code,
        );
        await atDesktop(teacher, 'recording-stop');
        await expect.poll(() => anna.getByTestId('recording-indicator').count()).toBe(0);
      }

      const encrypted = await createClassroom(stage.aula, {
        title: 'Geschichte 9a',
        lobbyEnabled: false,
        endToEndEncryption: true,
        seatCap: 10,
      });
      const ben = await joined(encrypted._id, { id: 'rn-ben', role: 'teacher', name: 'Herr Lang' });
      const clara = await joined(encrypted._id, { id: 'rn-clara', role: 'student', name: 'Clara Neu' });
      for (const code of ['en', 'de'] as const) {
        await language([ben, clara], code);
        for (const page of [ben, clara]) {
          await atDesktop(page, 'toggle-participants');
          await page.getByTestId('e2ee-security').waitFor();
        }
        await shoot(
          [
            [ben, 'teacher-security-code'],
            [clara, 'student-security-code'],
          ],
          code,
        );
        for (const page of [ben, clara]) await page.keyboard.press('Escape');
      }
      expect(problems).toEqual([]);
    },
  );
});
