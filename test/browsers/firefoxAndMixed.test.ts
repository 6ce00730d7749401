import { chromium, type Browser as ChromiumBrowser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../support/browser.js';
import { FIREFOX_PATH, drivable, launchFirefox, type TestFirefox } from '../support/firefox.js';
import { LessonPage, recordPeerConnections } from '../support/lessonPage.js';
import { NamespacedAula } from '../support/network/NamespacedAula.js';
import { TestNetwork } from '../support/network/TestNetwork.js';
import { testDatabaseUri } from '../support/testDatabase.js';

// Firefox, alone and in a class with Chromium, through the built classroom
// page. Aula and both browsers run inside a network namespace, on Aula's
// default media addresses: Firefox gathers no candidates on loopback, so
// this is also the check that `npm start` gives Firefox media.

const available = TestNetwork.available();
let network: TestNetwork;
let aula: NamespacedAula;
let firefox: TestFirefox;
let chromiumBrowser: ChromiumBrowser;

beforeAll(async () => {
  if (!available) return;
  network = TestNetwork.create();
  aula = await NamespacedAula.start(network, { mongoUri: testDatabaseUri('firefox') });
  firefox = await launchFirefox({
    executable: network.wrapper(network.server, FIREFOX_PATH),
    reach: (port) => aula.forward(port),
  });
  chromiumBrowser = await chromium.launch({
    executablePath: network.wrapper(network.server, process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium'),
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await firefox?.close();
  await chromiumBrowser?.close();
  await aula?.stop();
  network?.close();
});

type Who = { id: string; role: 'teacher' | 'student'; name: string };

async function openPage(browser: 'chromium' | 'firefox', classroomId: string, who: Who): Promise<LessonPage> {
  let lesson: LessonPage;
  if (browser === 'firefox') {
    const page = await (await firefox.browser.createBrowserContext()).newPage();
    await page.evaluateOnNewDocument(recordPeerConnections);
    lesson = new LessonPage(drivable(page), 'firefox', who.name);
    page.on('console', (message) => {
      if (message.type() === 'error') lesson.errors.push(message.text());
    });
    page.on('pageerror', (error) => lesson.errors.push(String(error)));
  } else {
    const context = await chromiumBrowser.newContext({
      locale: 'en-GB',
      viewport: { width: 1280, height: 800 },
      permissions: ['camera', 'microphone'],
    });
    const page = await context.newPage();
    await page.addInitScript(recordPeerConnections);
    lesson = new LessonPage(page, 'chromium', who.name);
    page.on('console', (message) => {
      if (message.type() === 'error') lesson.errors.push(message.text());
    });
    page.on('pageerror', (error) => lesson.errors.push(String(error)));
  }
  await lesson.open(aula.url, { token: await aula.tokenFor(classroomId, who), classroomId, role: who.role });
  return lesson;
}

/** Enters with microphone and camera switched on in the pre-join check. */
async function enter(
  browser: 'chromium' | 'firefox',
  classroomId: string,
  who: Who,
  { mic = true } = {},
): Promise<LessonPage> {
  const lesson = await openPage(browser, classroomId, who);
  const pressed = (testId: string, value: boolean) =>
    lesson.until(
      async () => (await lesson.attribute(testId, 'aria-pressed')) === String(value),
      `${testId} ${value}`,
    );
  if (mic) await lesson.click('prejoin-mic');
  await lesson.click('prejoin-camera');
  if (mic) await pressed('prejoin-mic', true);
  await pressed('prejoin-camera', true);
  // The camera has its name in the device list, not just "Camera".
  const devices = await lesson.options('select');
  expect(devices.some((label) => label && !/^(Microphone|Camera|Speaker|System default)$/.test(label))).toBe(
    true,
  );
  await lesson.click('join');
  if (who.role === 'teacher') await lesson.click('start-lesson');
  await lesson.waitFor('toggle-mic');
  await pressed('toggle-mic', mic);
  return lesson;
}

async function seesAndHears(lesson: LessonPage, names: string[]): Promise<void> {
  let last = '';
  await lesson.until(
    async () => {
      const tiles = await lesson.tiles();
      const received = await lesson.received();
      last = JSON.stringify({ tiles, received });
      return (
        names.every((name) =>
          tiles.some((tile) => tile.name === name && tile.playing && tile.videoHeight > 0),
        ) && received.audioStreams >= names.length
      );
    },
    () => `video and audio of ${names.join(', ')} (${last})`,
    30_000,
  );
}

/** The spotlight is drawn large, and arrives on the spotlight layer (480p); tiles on the tile layer (240p). */
async function showsSpotlight(lesson: LessonPage, spotlight: string, tile: string): Promise<void> {
  let last = '';
  await lesson.until(
    async () => {
      const tiles = await lesson.tiles();
      last = JSON.stringify(tiles);
      const large = tiles.find((t) => t.name === spotlight);
      const small = tiles.find((t) => t.name === tile);
      return Boolean(
        large?.large &&
        small &&
        large.width > small.width * 1.3 &&
        // Layers, not exact sizes: an encoder on a busy machine scales a layer down a step or two
        // (480p to 360p or 320p); the spotlight stays above the tile layer.
        large.videoHeight > 240 &&
        small.videoHeight > 0 &&
        small.videoHeight <= 240,
      );
    },
    () => `${spotlight} large on the 480p layer and ${tile} as a 240p tile (${last})`,
    30_000,
  );
}

async function chats(from: LessonPage, to: LessonPage[], text: string): Promise<void> {
  await from.click('toggle-chat');
  await from.fill('chat-input', text);
  await from.click('chat-send');
  for (const lesson of to) {
    await lesson.click('toggle-chat');
    await lesson.until(
      async () => (await lesson.text('chat-messages')).includes(text),
      `the message "${text}"`,
    );
  }
}

/** Every simulcast layer of the page's camera carries media (none left empty). */
async function everyLayerSends(lesson: LessonPage): Promise<void> {
  let last = '';
  await lesson.until(
    async () => {
      const before = await lesson.sentVideoLayers();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const after = await lesson.sentVideoLayers();
      last = JSON.stringify({ before, after });
      return ['r0', 'r1', 'r2'].every((rid) => (after[rid] ?? 0) - (before[rid] ?? 0) > 1_000);
    },
    () => `all three layers sending (${last})`,
    30_000,
  );
}

/** A screen share the browser refuses (headless Firefox has no screen) is explained, not silent. */
async function refusedScreenShareIsExplained(lesson: LessonPage): Promise<void> {
  await lesson.click('toggle-screen');
  await lesson.until(
    async () => (await lesson.texts('notice')).some((text) => /screen/i.test(text)),
    'a notice about the screen',
  );
  expect(await lesson.attribute('toggle-screen', 'aria-pressed')).toBe('false');
}

// Three browsers with cameras each: alone a test takes 12–20 s, but the CI runs the resilience lane
// beside this one on two cores, and a mixed lesson there once added up past a minute with no step
// stuck (each wait has its own, shorter bound).
describe.skipIf(!available)('Firefox', { timeout: 150_000 }, () => {
  it('runs a Firefox-only lesson: video and audio both ways, spotlight, chat, hands, no console errors', async () => {
    const { _id: classroomId } = await aula.createClassroom({ lobbyEnabled: false });
    const teacher = await enter('firefox', classroomId, { id: 'ft', role: 'teacher', name: 'Frau Fuchs' });
    const student = await enter('firefox', classroomId, { id: 'fs', role: 'student', name: 'Finn' });
    await seesAndHears(teacher, ['Finn']);
    await seesAndHears(student, ['Frau Fuchs']);
    // Two people get each other's top layer: Firefox sends all three layers, and the top one arrives.
    await everyLayerSends(student);
    await student.until(async () => {
      const finn = (await teacher.tiles()).find((tile) => tile.name === 'Finn');
      return finn?.videoHeight === 720 && finn.playing;
    }, "Finn's top layer at the teacher");

    const third = await enter(
      'firefox',
      classroomId,
      { id: 'fs2', role: 'student', name: 'Fenja' },
      { mic: false },
    );
    await seesAndHears(third, ['Frau Fuchs', 'Finn']);
    // Fenja switches her microphone on just as another window takes the focus. Firefox holds back
    // the device list of a window without focus; the switch no longer waits for it.
    await student.page.bringToFront();
    await third.page.click('[data-testid="toggle-mic"]');
    await third.until(
      async () => (await third.attribute('toggle-mic', 'aria-pressed')) === 'true',
      'her mic on',
    );
    await seesAndHears(student, ['Frau Fuchs', 'Fenja']);
    // Three people: the teacher is the spotlight for the students.
    await showsSpotlight(student, 'Frau Fuchs', 'Fenja');

    await chats(student, [teacher, third], 'Hallo aus Firefox');
    await student.click('toggle-hand');
    await teacher.click('toggle-participants');
    await teacher.until(async () => (await teacher.text('hand-queue')).includes('Finn'), 'the raised hand');
    await refusedScreenShareIsExplained(teacher);

    for (const lesson of [teacher, student, third]) expect(lesson.errors, lesson.name).toEqual([]);
    for (const lesson of [teacher, student, third]) await lesson.page.close();
  });

  it('runs a mixed lesson: Chromium teacher with simulcast, a Firefox and a Chromium student', async () => {
    const { _id: classroomId } = await aula.createClassroom({
      lobbyEnabled: false,
      studentPermissions: { screenShare: true },
    });
    const teacher = await enter('chromium', classroomId, { id: 'ct', role: 'teacher', name: 'Herr Chrom' });
    const fox = await enter('firefox', classroomId, { id: 'cf', role: 'student', name: 'Frida' });
    const chris = await enter('chromium', classroomId, { id: 'cc', role: 'student', name: 'Chris' });
    await seesAndHears(teacher, ['Frida', 'Chris']);
    await seesAndHears(fox, ['Herr Chrom', 'Chris']);
    await seesAndHears(chris, ['Herr Chrom', 'Frida']);

    // Spotlight layers: the teacher's simulcast reaches both students at 480p, the other student at 240p.
    await showsSpotlight(fox, 'Herr Chrom', 'Chris');
    await showsSpotlight(chris, 'Herr Chrom', 'Frida');

    await chats(fox, [teacher, chris], 'Grüße von Frida');
    await fox.click('toggle-hand');
    await teacher.click('toggle-participants');
    await teacher.until(async () => (await teacher.text('hand-queue')).includes('Frida'), 'the raised hand');

    // Screen share where the browser allows it: Chromium's reaches Firefox; Firefox explains its refusal.
    await teacher.click('toggle-screen');
    await fox.until(() => fox.showsScreen(), "the teacher's screen");
    await teacher.click('toggle-screen');
    await refusedScreenShareIsExplained(fox);

    for (const lesson of [teacher, fox, chris]) expect(lesson.errors, lesson.name).toEqual([]);
    for (const lesson of [teacher, fox, chris]) await lesson.page.close();
  });

  it('runs an end-to-end encrypted lesson with Chromium: media both ways through the frame cipher, one security code', async () => {
    const { _id: classroomId } = await aula.createClassroom({
      lobbyEnabled: false,
      seatCap: 10,
      endToEndEncryption: true,
    });
    const teacher = await enter('chromium', classroomId, { id: 'et', role: 'teacher', name: 'Frau Kern' });
    const fox = await enter('firefox', classroomId, { id: 'ef', role: 'student', name: 'Ole' });
    await seesAndHears(teacher, ['Ole']);
    await seesAndHears(fox, ['Frau Kern']);
    // Chromium's screen share reaches Firefox through the cipher too.
    await teacher.click('toggle-screen');
    await fox.until(() => fox.showsScreen(), "the teacher's encrypted screen");
    for (const lesson of [teacher, fox]) {
      const { ends, ciphered } = await lesson.cipheredEnds();
      expect(ends, lesson.name).toBeGreaterThanOrEqual(4);
      expect(ciphered, lesson.name).toBe(ends);
    }
    const codes: string[] = [];
    for (const lesson of [teacher, fox]) {
      await lesson.click('toggle-participants');
      await lesson.waitFor('e2ee-code');
      codes.push(await lesson.text('e2ee-code'));
    }
    expect(codes[0]).toMatch(/^\d{4}( \d{4}){4}$/);
    expect(codes[1]).toBe(codes[0]);
    for (const lesson of [teacher, fox]) expect(lesson.errors, lesson.name).toEqual([]);
    for (const lesson of [teacher, fox]) await lesson.page.close();
  });
});
