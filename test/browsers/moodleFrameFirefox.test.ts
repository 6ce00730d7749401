import type { BrowserContext, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFrameFirefox } from '../support/moodleFrame/frameBrowsers.js';
import { startMoodleScene, type MoodleScene } from '../support/moodleFrame/moodleScene.js';
import type { TestFirefox } from '../support/firefox.js';

// Aula in Moodle's course page in Firefox ESR with its default cookies (total
// cookie protection: a frame's cookies are kept apart per top-level site):
// Moodle and Aula on two sites over HTTPS, Moodle's own iframe markup, stock
// Moodle's login without platform storage. No media here: Firefox gathers no
// candidates on loopback (test/browsers/firefoxAndMixed.test.ts has media).

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

let scene: MoodleScene;
let firefox: TestFirefox;

beforeAll(async () => {
  scene = await startMoodleScene();
  firefox = await launchFrameFirefox();
});

afterAll(async () => {
  await firefox?.close();
  await scene?.close();
});

const teacher = { sub: 'teacher-ff', name: 'Herr Fuchs', roles: [INSTRUCTOR] };
const student = (sub: string, name: string) => ({ sub, name, roles: [LEARNER] });
const testId = (id: string) => `[data-testid="${id}"]`;

/** A page of its own (cookies and storage too) for one person. */
async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await firefox.browser.createBrowserContext();
  return { context, page: await context.newPage() };
}

/** The course page's frame once Aula's classroom page is in it. */
async function classroomFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const frame = page.frames().find((candidate) => candidate.url().includes('/classroom/'));
    if (frame) return frame;
    if (Date.now() > deadline)
      throw new Error(`no classroom in the frame: ${page.frames().map((f) => f.url())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function prejoinGreeting(frame: Frame | Page): Promise<string> {
  await frame.waitForSelector(testId('prejoin-title'), { timeout: 30_000 });
  return frame.$eval('.prejoin .intro .muted', (element) => element.textContent ?? '');
}

/** The window Aula opens from the course page's frame, once its classroom page is in it. */
async function popupOf(context: BrowserContext, course: Page, click: () => Promise<void>): Promise<Page> {
  await click();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const popup = (await context.pages()).find(
      (candidate) => candidate !== course && candidate.url().includes('/classroom/'),
    );
    if (popup) {
      // The person turns to the new window (Firefox gives camera and microphone only to the one in front).
      await popup.bringToFront();
      return popup;
    }
    if (Date.now() > deadline) throw new Error('no new window with the classroom');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Aula inside Moodle’s frame, in Firefox', () => {
  it('completes a launch without platform storage inside the frame, with no click', async () => {
    const { context, page } = await newPage();
    const course = scene.coursePage(student('ff-student', 'Fritzi Rahmen'));
    await page.goto(course);
    expect(await prejoinGreeting(await classroomFrame(page))).toContain('Fritzi Rahmen');
    expect(page.url()).toBe(course);
    await context.close();
  });

  it('opens the classroom in a new window with a credential of its own when the frame refuses the camera', async () => {
    const { context, page } = await newPage();
    await page.goto(scene.coursePage(student('ff-window', 'Wilma Fenster'), { allow: 'none' }));
    const frame = await classroomFrame(page);
    await prejoinGreeting(frame);
    await frame.click(testId('prejoin-camera'));
    await frame.waitForSelector(testId('frame-permission'));
    const popup = await popupOf(context, page, () =>
      frame.click(`${testId('frame-permission')} ${testId('open-window')}`),
    );
    expect(await prejoinGreeting(popup)).toContain('Wilma Fenster');
    expect(popup.url()).toBe(`${scene.aulaUrl}/classroom/${scene.classroomId}`);
    await page.bringToFront();
    await frame.waitForSelector(testId('handed-over'));
    // Out of the frame, the camera works.
    await popup.bringToFront();
    await popup.click(testId('prejoin-camera'));
    await popup.waitForSelector(`${testId('prejoin-camera')}[aria-pressed="true"]`);
    await context.close();
  });

  it('offers screen sharing in a new window where Moodle’s frame refuses it', async () => {
    const { context, page } = await newPage();
    await page.goto(scene.coursePage(teacher));
    const frame = await classroomFrame(page);
    await prejoinGreeting(frame);
    await enterAsTeacher(frame);
    await frame.click(testId('toggle-screen'));
    await frame.waitForSelector(testId('frame-window-offer'));
    const popup = await popupOf(context, page, () =>
      frame.click(`${testId('frame-window-offer')} ${testId('open-window')}`),
    );
    expect(await prejoinGreeting(popup)).toContain('Herr Fuchs');
    await page.bringToFront();
    await frame.waitForSelector(testId('handed-over'));
    await context.close();
  });

  it('has a fullscreen button that works inside the frame', async () => {
    const { context, page } = await newPage();
    await page.goto(scene.coursePage(teacher));
    const frame = await classroomFrame(page);
    await prejoinGreeting(frame);
    await enterAsTeacher(frame);
    await frame.click(testId('fullscreen'));
    await frame.waitForSelector(`${testId('fullscreen')}[aria-pressed="true"]`);
    expect(await frame.evaluate(() => document.fullscreenElement === document.documentElement)).toBe(true);
    await frame.click(testId('fullscreen'));
    await frame.waitForSelector(`${testId('fullscreen')}[aria-pressed="false"]`);
    expect(await frame.evaluate(() => document.fullscreenElement)).toBeNull();
    await context.close();
  });
});

/** Joins from the pre-join page and starts the lesson when it has not started yet. */
async function enterAsTeacher(frame: Frame): Promise<void> {
  await frame.click(testId('join'));
  const first = await frame.waitForSelector(`${testId('room')}, ${testId('start-lesson')}`, {
    timeout: 30_000,
  });
  if (await first!.evaluate((element) => element.getAttribute('data-testid') === 'start-lesson'))
    await first!.click();
  await frame.waitForSelector(testId('room'), { timeout: 30_000 });
}
