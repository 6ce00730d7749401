import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom } from '../support/classroomFixtures.js';
import { openClassroomAs, type ClassroomPage } from '../support/classroomPage.js';
import { SPOKEN_SENTENCE, speakToWav, speechToolsInstalled } from '../support/speech.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Issue 28's live captions in the real pages: the teacher speaks a known
// sentence (espeak-ng into a WAV played as Chromium's fake microphone),
// PocketSphinx on the server recognises it and a student who switched
// captions on reads its words; a captioner the teacher chose types a line
// that reaches her too; a page without captions on receives no caption.

let aula: TestAula;
let users: ContextBrowser;
let classroomId: string;

describe.skipIf(!speechToolsInstalled())('live captions in the classroom pages', () => {
  beforeAll(async () => {
    aula = await startTestAula({ AULA_CAPTIONS_ENGINE: 'pocketsphinx' });
    // Every page of this browser would hear the sentence as its microphone; only the teacher's sends it.
    const wav = await speakToWav(SPOKEN_SENTENCE);
    users = await launchUsers({ args: [`--use-file-for-fake-audio-capture=${wav}`] });
    classroomId = (await createClassroom(aula, { title: 'English 8b', lobbyEnabled: false }))._id;
  });

  afterAll(async () => {
    await users?.close();
    await aula?.stop();
  });

  const open = (id: string, name: string, role: 'teacher' | 'student'): Promise<ClassroomPage> =>
    openClassroomAs(users, aula, classroomId, { id, name, role });

  /** Every socket.io frame the page receives that carries a caption line. */
  function captionFrames(page: Page): string[] {
    const frames: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        if (text.includes('"captions:line"')) frames.push(text);
      }),
    );
    return frames;
  }

  async function openCaptionsPanel(page: Page): Promise<void> {
    await page.getByTestId('more').click();
    await page.getByTestId('toggle-captions-panel').click();
    await page.getByTestId('captions-panel').waitFor();
  }

  const overlayText = (page: Page) => page.getByTestId('captions-overlay').innerText();

  it(
    "shows the teacher's spoken words and a captioner's line to a student with captions on, and nothing to one without",
    { timeout: 240_000 },
    async () => {
      const teacherPage = await open('teacher', 'Mr Brown', 'teacher');
      await teacherPage.join({ mic: true });
      await teacherPage.page.getByTestId('start-lesson').click();
      await teacherPage.page.getByTestId('control-bar').waitFor();
      const [annaPage, benPage] = await Promise.all([
        open('anna', 'Anna Weber', 'student'),
        open('ben', 'Ben Schulz', 'student'),
      ]);
      const benFrames = captionFrames(benPage.page);
      await Promise.all([annaPage.join(), benPage.join()]);
      const teacher = teacherPage.page;
      const anna = annaPage.page;
      const ben = benPage.page;
      for (const page of [anna, ben]) await page.getByTestId('control-bar').waitFor();

      // Anna switches captions on: the overlay sits in the stage, above the control bar.
      await anna.getByTestId('toggle-captions').click();
      await anna.getByTestId('captions-overlay').waitFor();
      const overlay = (await anna.getByTestId('captions-overlay').boundingBox())!;
      const controls = (await anna.getByTestId('control-bar').boundingBox())!;
      expect(overlay.y + overlay.height).toBeLessThanOrEqual(controls.y);

      // Automatic captions: every word of the spoken sentence reaches her page.
      await expect
        .poll(async () => (await overlayText(anna)).toLowerCase(), { timeout: 90_000 })
        .toSatisfy((text: string) => SPOKEN_SENTENCE.split(' ').every((word) => text.includes(word)));
      expect(await overlayText(anna)).toContain('Mr Brown');

      // The teacher makes Ben a captioner; he types a line; Anna reads it.
      await openCaptionsPanel(teacher);
      await teacher.getByTestId('captions-panel').getByLabel('Ben Schulz').check();
      await openCaptionsPanel(ben);
      await ben.getByTestId('caption-input').waitFor();
      await ben.getByTestId('caption-input').fill('Homework: page twelve');
      await ben.getByTestId('caption-send').click();
      await expect.poll(() => overlayText(anna)).toContain('Homework: page twelve');
      await anna.getByTestId('captions-history-open').click();
      await expect
        .poll(() => anna.getByTestId('caption-history').innerText())
        .toContain('Homework: page twelve');

      // Size: larger text for Anna, kept by her browser.
      const before = await anna
        .locator('[data-testid=captions-overlay] .lines')
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      await anna.getByTestId('captions-larger').click();
      await expect
        .poll(() =>
          anna
            .locator('[data-testid=captions-overlay] .lines')
            .evaluate((el) => parseFloat(getComputedStyle(el).fontSize)),
        )
        .toBeGreaterThan(before);

      // Ben never switched captions on: no caption line ever reached his page.
      expect(await ben.getByTestId('captions-overlay').count()).toBe(0);
      expect(benFrames).toEqual([]);
    },
  );
});
