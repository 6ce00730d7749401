import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassroom } from '../support/classroomFixtures.js';
import {
  chooseLanguage,
  joinedTab,
  openStage,
  type ClassroomStage,
  type Person,
} from '../support/classroomTab.js';
import {
  sweep,
  sweepUncovered,
  uncoveredControls,
  VIEWPORTS,
  ZOOMED_VIEWPORTS,
} from '../support/screenChecks.js';
import { storedRecording, type StoredTrack } from '../support/storedRecording.js';

// The panels panelsAndReflow does not reach: the shared notes, the
// recording's controls and consent question (Aula with AULA_RECORDING=on and
// a classroom that allows it), the lesson history's recording player, and
// the security code of an encrypted lesson.
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

async function atDesktop(page: Page, ...testIds: string[]): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const testId of testIds) await page.getByTestId(testId).click();
}

/**
 * What of the recording player sticks out of the dialog's visible width (the
 * dialog would scroll sideways, or cut it off); browser-side code as text.
 */
const PLAYER_OUTSIDE = `(() => {
  const dialog = document.querySelector('dialog[open]');
  const player = dialog?.querySelector('[data-testid=recording-player]');
  if (!dialog || !player) return ['no recording player in an open dialog'];
  const inner = dialog.getBoundingClientRect().left + dialog.clientLeft + dialog.clientWidth;
  return [player, ...player.querySelectorAll('*')]
    .filter((element) => element.getClientRects().length > 0 && element.getBoundingClientRect().right > inner + 0.5)
    .map((element) => element.tagName.toLowerCase() + ' ' + (element.textContent ?? '').trim().slice(0, 30) +
      ' ends at ' + Math.round(element.getBoundingClientRect().right) + ' > ' + Math.round(inner));
})()`;

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
      const shoot = (pages: Array<[Page, string]>, code: 'en' | 'de') =>
        sweepUncovered(problems, pages, code, SCREENSHOTS);
      for (const code of ['en', 'de'] as const) {
        await chooseLanguage([teacher, anna], code);
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
        await chooseLanguage([ben, clara], code);
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

  it(
    'the lesson history’s recording player: reflow, 24x24 targets, nothing covered and no serious axe finding',
    { timeout: 900_000 },
    async () => {
      const classroom = await createClassroom(stage.aula, {
        title: 'Biologie 8c',
        lobbyEnabled: false,
        recordingAllowed: true,
      });
      // Two past recordings: the teacher's camera and voice, and the voice of a student who agreed.
      const lesson: StoredTrack[] = [
        { participantId: 'rp-teacher', role: 'teacher', source: 'camera', kind: 'video', from: 0, to: 8_000 },
        { participantId: 'rp-teacher', role: 'teacher', source: 'mic', kind: 'audio', from: 0, to: 8_000 },
        { participantId: 'rp-anna', role: 'student', source: 'mic', kind: 'audio', from: 1_000, to: 6_000 },
      ];
      await storedRecording(stage.aula, classroom._id, lesson);
      await storedRecording(stage.aula, classroom._id, lesson.slice(0, 2), 5);
      const teacher = await joined(classroom._id, { id: 'rp-teacher', role: 'teacher', name: 'Frau Berg' });
      const problems: string[] = [];
      for (const code of ['en', 'de'] as const) {
        await chooseLanguage([teacher], code);
        await atDesktop(teacher, 'toggle-teacher', 'open-history');
        // Each recording's button is named with its date (a screen reader lists them apart).
        const playNamed = code === 'en' ? /^Play the recording of \d/ : /^Aufnahme vom \d.* abspielen$/;
        await expect.poll(() => teacher.getByRole('button', { name: playNamed }).count()).toBe(2);
        // The older one, with Anna's voice.
        await teacher.getByTestId('recording-play').last().click();
        const player = teacher.getByTestId('recording-player');
        await player.getByTestId('playback-stage').waitFor();
        // Played for a moment and paused: the picture shows, the clock has moved.
        await player.getByTestId('playback-toggle').click();
        await expect.poll(() => player.locator('.time').textContent()).toMatch(/^00:00:0[1-7] /);
        await player.getByTestId('playback-toggle').click();
        for (const viewport of [...VIEWPORTS, ...ZOOMED_VIEWPORTS]) {
          problems.push(
            ...(await sweep([{ page: teacher, name: 'teacher-recording-player' }], code, {
              dir: SCREENSHOTS,
              extra: uncoveredControls,
              viewports: [viewport],
            })),
          );
          const where = `${code} teacher-recording-player ${viewport.width}x${viewport.height}`;
          const outside = (await teacher.evaluate(PLAYER_OUTSIDE)) as string[];
          problems.push(...outside.map((line) => `${where}: outside the dialog ${line}`));
        }
        // Escape closes the history, then the teacher's panel.
        await teacher.setViewportSize({ width: 1280, height: 800 });
        await teacher.keyboard.press('Escape');
        await teacher.keyboard.press('Escape');
        await expect.poll(() => teacher.locator('dialog[open], [data-side-panel]').count()).toBe(0);
      }
      expect(problems).toEqual([]);
    },
  );
});
