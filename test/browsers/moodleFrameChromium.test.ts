import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFrameChromium, type FrameChromium } from '../support/moodleFrame/frameBrowsers.js';
import { startMoodleScene, type MoodleScene } from '../support/moodleFrame/moodleScene.js';

// Aula in Moodle's course page, as a school deploys it: Moodle and Aula on two
// sites over HTTPS, Moodle's own iframe markup (microphone and camera for
// Aula's origin, fullscreen, no display-capture), stock Moodle's login without
// platform storage. Chromium with third-party cookies blocked and allowed.

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

let scene: MoodleScene;
let blocked: FrameChromium;
let allowed: FrameChromium;

beforeAll(async () => {
  scene = await startMoodleScene();
  blocked = await launchFrameChromium(scene, 'blocked');
  allowed = await launchFrameChromium(scene, 'allowed');
});

afterAll(async () => {
  await blocked?.close();
  await allowed?.close();
  await scene?.close();
});

const teacher = { sub: 'teacher-1', name: 'Frau Rahmen', roles: [INSTRUCTOR] };
const student = (sub: string, name: string) => ({ sub, name, roles: [LEARNER] });

const aulaFrame = (page: Page): FrameLocator => page.frameLocator('#contentframe');
const testId = (frame: FrameLocator | Page | Locator, id: string) => frame.locator(`[data-testid="${id}"]`);

/** Waits for the pre-join page inside the course page's frame and answers who it greets. */
async function prejoinInFrame(page: Page): Promise<string> {
  const frame = aulaFrame(page);
  await testId(frame, 'prejoin-title').waitFor({ timeout: 30_000 });
  return (await frame.locator('.prejoin .intro .muted').textContent()) ?? '';
}

describe('Aula inside Moodle’s frame, in Chromium', () => {
  it('completes a launch without platform storage inside the frame, no click, third-party cookies blocked, right after a registration change', async () => {
    const page = await blocked.context.newPage();
    // A registration changes on this node just before the course page loads: frame-ancestors stay.
    await scene.aula.lti.platforms.updateDeployment(scene.platformId, scene.platform.deploymentId, {
      seatTier: 50,
    });
    const course = scene.coursePage(teacher);
    await page.goto(course);
    expect(await prejoinInFrame(page)).toContain('Frau Rahmen');
    // Still the course page around it: the launch happened in the frame, not instead of it.
    expect(page.url()).toBe(course);
    await page.close();
  });

  it('completes it the same way with third-party cookies allowed', async () => {
    const page = await allowed.context.newPage();
    await page.goto(scene.coursePage(student('student-allowed', 'Ali Offen')));
    expect(await prejoinInFrame(page)).toContain('Ali Offen');
    await page.close();
  });

  it('falls back to the Storage Access API where the browser refuses partitioned cookies too: one click, and a one-click hop the first time', async () => {
    // A browser that does not know the Partitioned attribute: Aula's cookies are ordinary third-party ones.
    scene.aulaFront.rewriteCookies = (cookie) => cookie.replace(/;\s*Partitioned/i, '');
    const browser = await launchFrameChromium(scene, 'blocked');
    try {
      const page = await browser.context.newPage();
      const course = scene.coursePage(student('student-access', 'Sami Zugang'));
      await page.goto(course);
      await aulaFrame(page).locator('#aula-allow').click();
      // Chromium grants storage access only to a site the person has visited on its own: the hop.
      await aulaFrame(page).locator('#aula-hop-link').click();
      await page.waitForURL(`${scene.aulaUrl}/lti/storage-access?**`);
      await page.locator('#aula-back').click();
      await page.waitForURL(course);
      // Back on the course page, one click asks again, and the person allows Aula in the browser's
      // prompt. Headless Chromium shows no prompt: the grant is recorded the way that prompt does.
      await aulaFrame(page).locator('#aula-allow').waitFor();
      await grantStorageAccess(browser.context, page);
      await aulaFrame(page).locator('#aula-allow').click();
      expect(await prejoinInFrame(page)).toContain('Sami Zugang');
      expect(page.url()).toBe(course);

      // The next lesson: the grant is used at once, without a click.
      const next = await browser.context.newPage();
      await next.goto(scene.coursePage(student('student-access', 'Sami Zugang')));
      expect(await prejoinInFrame(next)).toContain('Sami Zugang');
    } finally {
      scene.aulaFront.rewriteCookies = undefined;
      await browser.close();
    }
  });

  it('opens the pre-join page in a new window with a credential of its own where the frame denies camera and microphone', async () => {
    const page = await blocked.context.newPage();
    const redeemed: string[] = [];
    blocked.context.on('request', (request) => {
      if (request.url().endsWith('/api/launch/redeem')) redeemed.push(request.postData() ?? '');
    });
    await page.goto(scene.coursePage(student('student-window', 'Wanda Fenster'), { allow: 'none' }));
    const frame = aulaFrame(page);
    await testId(frame, 'frame-permission').waitFor({ timeout: 30_000 });
    const [popup] = await Promise.all([
      blocked.context.waitForEvent('page'),
      testId(frame, 'open-window').click(),
    ]);
    await testId(popup, 'prejoin-title').waitFor({ timeout: 30_000 });
    expect(await popup.locator('.prejoin .intro .muted').textContent()).toContain('Wanda Fenster');
    expect(popup.url()).toBe(`${scene.aulaUrl}/classroom/${scene.classroomId}`);
    await testId(frame, 'handed-over').waitFor();
    // Out of the frame, the camera works.
    await testId(popup, 'prejoin-camera').click();
    await popup.locator('[data-testid="prejoin-camera"][aria-pressed="true"]').waitFor();
    await testId(popup, 'join').click();
    await testId(popup, 'lobby-wait').waitFor();

    // The credential opened that one window: the same ticket again is refused.
    const ticket = (JSON.parse(redeemed.at(-1)!) as { ticket: string }).ticket;
    const replay = await blocked.context.newPage();
    await replay.goto(`${scene.aulaUrl}/classroom/${scene.classroomId}#ticket=${ticket}`);
    await testId(replay, 'session-problem').waitFor();
    for (const opened of [page, popup, replay]) await opened.close();
  });

  it('offers screen sharing in a new window where Moodle’s frame lacks display-capture, and shares there', async () => {
    const page = await blocked.context.newPage();
    await page.goto(scene.coursePage(teacher));
    await prejoinInFrame(page);
    const frame = aulaFrame(page);
    await enterAsTeacher(frame);
    await clickScreenShare(frame);
    const offer = testId(frame, 'frame-window-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('does not allow screen sharing');
    const [popup] = await Promise.all([
      blocked.context.waitForEvent('page'),
      testId(offer, 'open-window').click(),
    ]);
    await testId(popup, 'prejoin-title').waitFor({ timeout: 30_000 });
    expect(await popup.locator('.prejoin .intro .muted').textContent()).toContain('Frau Rahmen');
    await testId(frame, 'handed-over').waitFor();
    await testId(popup, 'join').click();
    await clickScreenShare(popup);
    await popup.locator('[data-testid="toggle-screen"][aria-pressed="true"]').waitFor({ timeout: 30_000 });
    await page.close();
    await popup.close();
  });

  it('has a fullscreen button in the lesson that works inside the frame', async () => {
    const page = await allowed.context.newPage();
    await page.goto(scene.coursePage(teacher));
    await prejoinInFrame(page);
    const frame = aulaFrame(page);
    await enterAsTeacher(frame);
    const inFrame = () => page.frames().find((candidate) => candidate.url().includes('/classroom/'))!;
    await testId(frame, 'fullscreen').click();
    await testId(frame, 'fullscreen').and(frame.locator('[aria-pressed="true"]')).waitFor();
    expect(await inFrame().evaluate(() => document.fullscreenElement === document.documentElement)).toBe(
      true,
    );
    await testId(frame, 'fullscreen').click();
    await testId(frame, 'fullscreen').and(frame.locator('[aria-pressed="false"]')).waitFor();
    expect(await inFrame().evaluate(() => document.fullscreenElement)).toBeNull();
    await page.close();
  });
});

/** Joins from the pre-join page and starts the lesson when it has not started yet. */
async function enterAsTeacher(frame: FrameLocator | Page): Promise<void> {
  await testId(frame, 'join').click();
  const room = testId(frame, 'room');
  const start = testId(frame, 'start-lesson');
  await room.or(start).waitFor({ timeout: 30_000 });
  if (await start.isVisible()) await start.click();
  await room.waitFor({ timeout: 30_000 });
}

/** The screen button, in the control bar or, when the bar is narrow, in its "More" menu. */
async function clickScreenShare(frame: FrameLocator | Page): Promise<void> {
  const button = testId(frame, 'toggle-screen').first();
  if (!(await button.isVisible())) await testId(frame, 'more').click();
  await testId(frame, 'toggle-screen').locator('visible=true').click();
}

/**
 * What the browser records when the person allows Aula in its storage-access
 * prompt on the course page. The DevTools session stays attached: Chromium
 * forgets permissions it set once the session goes.
 */
async function grantStorageAccess(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setPermission', {
    permission: { name: 'storage-access' },
    setting: 'granted',
    origin: scene.platform.url,
    embeddedOrigin: scene.aulaUrl,
  });
}
