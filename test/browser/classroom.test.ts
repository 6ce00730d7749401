import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launchUsers, type ContextBrowser } from '../support/browser.js';
import { registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator, type LaunchSpec } from '../support/platformSimulator.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// The whole product through real browsers: LTI launches from the test
// platform into the built Vue client, real media through mediasoup.

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const SCREENSHOTS = path.resolve('test-results', 'screenshots');

let aula: TestAula;
let platform: PlatformSimulator;
let users: ContextBrowser;
const requests: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  aula = await startTestAula();
  platform = await PlatformSimulator.start();
  expect((await registerDynamically(aula, platform)).status).toBe(200);
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await platform?.close();
  await aula?.stop();
});

async function user(locale?: string): Promise<BrowserContext> {
  const context = await users.newUser(locale);
  context.on('request', (request) => requests.push(request.url()));
  return context;
}

/** The LMS's "launch" link: OIDC login initiation, as Moodle sends it. */
async function launch(context: BrowserContext, spec: LaunchSpec): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams({
    iss: platform.issuer,
    login_hint: platform.defineLaunch(spec),
    target_link_uri: `${aula.url}/lti/launch`,
    lti_message_hint: 'hint',
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentId,
  });
  await page.goto(`${aula.url}/lti/login?${query}`);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Remote videos on this page that have decoded frames, by participant name. */
async function decodedVideos(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=tile]', (tiles) =>
    tiles.flatMap((tile) => {
      const video = tile.querySelector('video');
      const frames = video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      const name = tile.querySelector('.name')?.textContent?.trim() ?? '';
      return video && !video.classList.contains('mirror') && frames > 0 && video.videoWidth > 0 ? [name] : [];
    }),
  );
}

async function seesVideoOf(page: Page, names: string[]): Promise<void> {
  let state = '';
  await eventually(
    async () => {
      const decoded = await decodedVideos(page);
      state = `decoded: ${decoded.join(', ')}; tiles: ${await page
        .locator('[data-testid=tile]')
        .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('aria-label')).join(' | '))}`;
      return names.every((name) => decoded.includes(name)) ? true : undefined;
    },
    () => `decoded video of ${names.join(', ')} (${state})`,
    30_000,
  );
}

async function enterAsStudent(name: string, sub: string, classroomId: string): Promise<Page> {
  const page = await launch(await user(), {
    sub,
    name,
    roles: [LEARNER],
    custom: { aula_classroom: classroomId },
  });
  await page.getByTestId('join').waitFor();
  await page.getByTestId('prejoin-camera').click();
  await expect.poll(() => page.getByTestId('prejoin-camera').getAttribute('aria-pressed')).toBe('true');
  await page.getByTestId('join').click();
  return page;
}

describe('the classroom in the browser', () => {
  it('runs a lesson: deep link, launch, lobby, video, chat, hands, moderation, language, guests', async () => {
    // A teacher adds Aula to the course.
    const teacherContext = await user();
    const picker = await launch(teacherContext, {
      sub: 'teacher-1',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      messageType: 'LtiDeepLinkingRequest',
      context: { id: 'course-bio', title: 'Biology 9b' },
    });
    await picker.getByTestId('classroom-title').fill('Biology live');
    await picker.getByTestId('seat-cap').fill('30');
    await shot(picker, '01-deep-link');
    await picker.getByTestId('create-classroom').click();
    await picker.waitForURL(`${platform.url}/deep-link-return`);
    const items = decodeJwt(platform.deepLinkResponses.at(-1)!)[
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items'
    ] as Array<{ custom: { aula_classroom: string } }>;
    const classroomId = items[0]!.custom.aula_classroom;
    await picker.close();

    // The teacher opens it, checks devices, starts the lesson and switches the camera on.
    const teacher = await launch(teacherContext, {
      sub: 'teacher-1',
      name: 'Frau Berg',
      roles: [INSTRUCTOR],
      context: { id: 'course-bio', title: 'Biology 9b' },
      custom: { aula_classroom: classroomId },
    });
    await teacher.waitForURL(`${aula.url}/classroom/${classroomId}`);
    expect(new URL(teacher.url()).hash).toBe('');
    await teacher.getByTestId('join').waitFor();
    await expect.poll(() => teacher.getByTestId('prejoin-mic').getAttribute('aria-pressed')).toBe('false');
    await shot(teacher, '02-prejoin');
    await teacher.getByTestId('join').click();
    await teacher.getByTestId('start-lesson').click();
    await teacher.getByTestId('toggle-camera').click();
    await expect.poll(() => teacher.getByTestId('toggle-camera').getAttribute('aria-pressed')).toBe('true');

    // Two students arrive with their cameras on and wait in the waiting room.
    const anna = await enterAsStudent('Anna Weber', 'student-1', classroomId);
    const ben = await enterAsStudent('Ben Schulz', 'student-2', classroomId);
    await anna.getByTestId('lobby-wait').waitFor();
    await shot(anna, '03-waiting-room');
    await teacher.getByTestId('toggle-teacher').click();
    await teacher.getByTestId('admit-Anna Weber').click();
    await teacher.getByTestId('admit-Ben Schulz').click();
    await anna.getByTestId('toggle-mic').waitFor();
    await ben.getByTestId('toggle-mic').waitFor();

    // Everyone sees everyone else's video.
    await seesVideoOf(teacher, ['Anna Weber', 'Ben Schulz']);
    await seesVideoOf(anna, ['Frau Berg', 'Ben Schulz']);
    await seesVideoOf(ben, ['Frau Berg', 'Anna Weber']);
    await shot(teacher, '04-teacher-view');
    await shot(anna, '05-student-view');

    // Chat: a public message reaches everyone, a private one only its recipient.
    await anna.getByTestId('toggle-chat').click();
    await anna.getByTestId('chat-input').fill('Hallo zusammen!');
    await anna.getByTestId('chat-send').click();
    await expect.poll(() => ben.getByTestId('unread').textContent()).toContain('1');
    await teacher.getByTestId('toggle-chat').click();
    await teacher.getByTestId('chat-messages').getByText('Hallo zusammen!').waitFor();
    await teacher.getByTestId('chat-recipient').selectOption({ label: 'Anna Weber' });
    await teacher.getByTestId('chat-input').fill('Nur für dich, Anna.');
    await teacher.getByTestId('chat-send').click();
    await anna.getByTestId('chat-messages').getByText('Nur für dich, Anna.').waitFor();
    await shot(anna, '06-chat');
    await ben.getByTestId('toggle-chat').click();
    await ben.getByTestId('chat-messages').getByText('Hallo zusammen!').waitFor();
    expect(await ben.getByTestId('chat-messages').textContent()).not.toContain('Nur für dich');

    // Ben raises his hand; the teacher calls the next ones and Ben is told to get ready.
    await ben.getByTestId('toggle-hand').click();
    await teacher.getByTestId('toggle-participants').click();
    await teacher.getByTestId('hand-queue').getByText('Ben Schulz').waitFor();
    await teacher.getByTestId('call-next').click();
    await ben.getByTestId('notice').filter({ hasText: 'get ready' }).waitFor();
    await teacher.getByTestId('give-floor').click();
    await shot(teacher, '07-participants');

    // Anna unmutes; the teacher mutes her.
    await anna.getByTestId('toggle-mic').click();
    await expect.poll(() => anna.getByTestId('toggle-mic').getAttribute('aria-pressed')).toBe('true');
    await teacher.getByTestId('mute-Anna Weber').click();
    await expect.poll(() => anna.getByTestId('toggle-mic').getAttribute('aria-pressed')).toBe('false');
    await anna.getByTestId('notice').filter({ hasText: 'muted your microphone' }).waitFor();

    // The teacher removes Ben; he cannot come back into this lesson.
    await teacher.getByTestId('remove-Ben Schulz').click();
    await teacher.getByTestId('confirm').click();
    await ben.getByTestId('removed').waitFor();
    await shot(ben, '08-removed');

    // Anna switches to German.
    await anna.getByTestId('language').selectOption('de');
    await expect.poll(() => anna.getByTestId('leave').textContent()).toContain('Verlassen');
    await expect.poll(() => anna.locator('html').getAttribute('lang')).toBe('de');

    // Guests: the teacher switches guest access on and hands out link and password.
    await teacher.getByTestId('toggle-teacher').click();
    await teacher.getByTestId('guest-enabled').check();
    const link = (await teacher.getByTestId('guest-link').textContent())!.trim();
    const password = (await teacher.getByTestId('guest-password').textContent())!.trim();
    expect(new URL(link).origin).toBe(aula.url);
    await shot(teacher, '09-teacher-tools');

    const guestContext = await user();
    const guest = await guestContext.newPage();
    await guest.goto(link);
    expect(await guest.getByTestId('guest-password').getAttribute('type')).toBe('password');
    await guest.getByTestId('guest-name').fill('Gast Mutter');
    await guest.getByTestId('guest-password').fill('Wrong-Password-1');
    await guest.getByTestId('guest-join').click();
    await guest.getByTestId('guest-error').waitFor();
    await guest.getByTestId('guest-password').fill(password);
    await shot(guest, '10-guest-join');
    await guest.getByTestId('guest-join').click();
    await guest.getByTestId('join').click();
    await guest.getByTestId('lobby-wait').waitFor();
    await teacher.getByTestId('admit-Gast Mutter').click();
    await guest.getByTestId('toggle-mic').waitFor();
    await seesVideoOf(guest, ['Frau Berg', 'Anna Weber']);

    // Attendance shows who was there.
    await teacher.getByTestId('load-attendance').click();
    await teacher.getByTestId('attendance').getByText('Anna Weber').waitFor();

    // Keyboard: the help overlay opens with "?".
    await anna.keyboard.press('?');
    await anna.getByTestId('shortcut-help').waitFor();

    // Nothing was loaded from anywhere but Aula and the LMS.
    const allowed = new Set([new URL(aula.url).host, new URL(platform.url).host]);
    const foreign = requests.filter((url) => {
      const parsed = new URL(url);
      return !['data:', 'blob:'].includes(parsed.protocol) && !allowed.has(parsed.host);
    });
    expect(foreign).toEqual([]);
  });

  it('shows the admin page with the registration URLs and the registered platform', async () => {
    const page = await (await user()).newPage();
    await page.goto(`${aula.url}/admin`);
    await page.getByTestId('admin-token').fill(aula.adminToken.value);
    await page.getByTestId('admin-login').click();
    await expect
      .poll(() => page.getByTestId('url-registration').textContent())
      .toBe(await aula.lti.registrationUrl());
    await page.getByTestId('platform').first().waitFor();
    await shot(page, '11-admin');
    // The admin replaces the secret: the page shows the new URL, the old one stops working.
    const before = await aula.lti.registrationUrl();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('rotate-secret').click();
    await expect.poll(() => aula.lti.registrationUrl()).not.toBe(before);
    await expect
      .poll(() => page.getByTestId('url-registration').textContent())
      .toBe(await aula.lti.registrationUrl());
  });
});
