import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../support/browser.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { openClassroomTab, type Person } from '../support/classroomTab.js';
import type { PageFacts } from '../support/pageChecks.js';
import { sweep as sweepPages, type Shot, type Viewport } from '../support/screenChecks.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// The classroom page as people see it: every page of a lesson at the
// viewports of ordinary screens, in English and German, photographed into
// test-results/screenshots/ui/ and checked for what makes it usable: the
// control bar on screen, tiles of at least 160x90, icons as SVG, German
// without English leftovers, and no serious accessibility finding (axe-core).

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'ui');
const MIN_TILE = { width: 160, height: 90 };

const en = JSON.parse(fs.readFileSync(path.resolve('client/src/locales/en.json'), 'utf8')) as {
  errors: Record<string, string>;
};
const de = JSON.parse(fs.readFileSync(path.resolve('client/src/locales/de.json'), 'utf8')) as typeof en;

let aula: TestAula;
let browser: Browser;
let classroomId: string;
const contexts: BrowserContext[] = [];
const clients: ClassroomClient[] = [];
/** Everything found wrong, reported together at the end of each test. */
const problems: string[] = [];

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  aula = await startTestAula();
  browser = await chromium.launch({
    executablePath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const classroom = await createClassroom(aula, { title: 'Biologie 9b', lobbyEnabled: false, seatCap: 50 });
  classroomId = classroom._id;
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await aula?.stop();
});

/** A browser tab of one person, opened the way the launch leaves it. */
function openAs(who: Person, options: { hash?: string; token?: string } = {}): Promise<Page> {
  return openClassroomTab({ aula, browser, classroomId, contexts }, who, options);
}

interface RoomShot extends Shot {
  /** A lesson page: the control bar and tiles are checked. */
  room: boolean;
}

/** A lesson page: the control bar on screen, tiles of at least 160x90. */
function roomProblems(shot: RoomShot, facts: PageFacts, viewport: Viewport, where: string): string[] {
  if (!shot.room) return [];
  const found: string[] = [];
  const bar = facts.bar;
  if (!bar) found.push(`${where}: no control bar`);
  else if (
    bar.x < -0.5 ||
    bar.y < -0.5 ||
    bar.x + bar.width > viewport.width + 0.5 ||
    bar.y + bar.height > viewport.height + 0.5
  )
    found.push(`${where}: control bar outside the viewport ${JSON.stringify(bar)}`);
  if (facts.tiles.length === 0) found.push(`${where}: no tiles`);
  for (const tile of facts.tiles) {
    if (tile.width < MIN_TILE.width - 0.5 || tile.height < MIN_TILE.height - 0.5)
      found.push(`${where}: tile ${tile.name} is ${tile.width}x${tile.height}`);
  }
  return found;
}

/** Photographs and checks each page at every viewport. */
async function sweep(shots: RoomShot[], language: 'en' | 'de'): Promise<void> {
  problems.push(...(await sweepPages(shots, language, { dir: SCREENSHOTS, extra: roomProblems })));
}

/** A teacher without a browser, joined: for what the test itself arranges in the lesson. */
async function socketTeacher(id: string, name: string): Promise<ClassroomClient> {
  const client = await connectAs(aula, classroomId, { id, role: 'teacher', name });
  clients.push(client);
  await client.request('join');
  return client;
}

async function switchLanguage(pages: Page[], language: 'en' | 'de'): Promise<void> {
  for (const page of pages) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('language').first().selectOption(language);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
  }
}

describe('the classroom page at ordinary screen sizes, in English and German', () => {
  it(
    'pre-join, waiting room, lesson (teacher and student), teacher tools, chat and ended pages',
    { timeout: 300_000 },
    async () => {
      // The teacher starts the lesson with the camera on.
      const teacher = await openAs({ id: 'ui-teacher', role: 'teacher', name: 'Frau Berg' });
      await teacher.getByTestId('join').click();
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('toggle-camera').click();
      await expect.poll(() => teacher.getByTestId('toggle-camera').getAttribute('aria-pressed')).toBe('true');

      // A class: a co-teacher's helper connection, twelve students without browsers, two of them with hands up.
      const helper = await socketTeacher('ui-helper', 'Herr Hilfe');
      const ids: Record<string, string> = {};
      for (let i = 1; i <= 12; i++) {
        const name = `Schüler ${String(i).padStart(2, '0')}`;
        const student = await connectAs(aula, classroomId, { id: `ui-s${i}`, role: 'student', name });
        clients.push(student);
        const joined = await student.request('join');
        ids[name] = joined.self.id;
        if (i === 9 || i === 4) await student.request('hand:raise');
      }

      // Anna joins from her browser with the camera on.
      const anna = await openAs({ id: 'ui-anna', role: 'student', name: 'Anna Weber' });
      await anna.getByTestId('prejoin-title').getByText('Biologie 9b').waitFor();
      await anna.getByTestId('prejoin-teacher').getByText('Frau Berg').waitFor();
      await anna.getByTestId('prejoin-camera').click();
      await expect.poll(() => anna.getByTestId('prejoin-camera').getAttribute('aria-pressed')).toBe('true');
      await anna.getByTestId('join').click();
      await anna.getByTestId('control-bar').waitFor();
      const annaId = (await helper.next('participantJoined', (p) => p.displayName === 'Anna Weber')).id;

      // The teacher writes to Anna privately; a student writes to everyone.
      await helper.request('chat:send', { text: 'Anna, bitte bereite die Folie vor.', to: annaId });
      await clients[1]!.request('chat:send', { text: 'Guten Morgen zusammen!' });

      // Now the waiting room is on: Ben waits, and the teacher is told.
      await helper.request('mod:settings', { lobbyEnabled: true });
      const ben = await openAs({ id: 'ui-ben', role: 'student', name: 'Ben Schulz' });
      await ben.getByTestId('join').click();
      await ben.getByTestId('lobby-wait').waitFor();
      await teacher.getByTestId('lobby-alert').getByText('Ben Schulz').waitFor();
      expect(
        await teacher.getByTestId('toggle-teacher').getByTestId('control-count').textContent(),
      ).toContain('1');

      // Clara opens the page and is still checking her devices.
      const clara = await openAs({ id: 'ui-clara', role: 'student', name: 'Clara Neu' });
      await clara.getByTestId('join').waitFor();

      const lessonShots: RoomShot[] = [
        { page: clara, name: 'prejoin', room: false },
        { page: ben, name: 'waiting-room', room: false },
        { page: teacher, name: 'lesson-teacher', room: true },
        { page: anna, name: 'lesson-student', room: true },
      ];
      for (const language of ['en', 'de'] as const) {
        if (language === 'de') await switchLanguage([clara, ben, teacher, anna], 'de');
        await sweep(lessonShots, language);

        await teacher.setViewportSize({ width: 1280, height: 800 });
        await teacher.getByTestId('toggle-teacher').click();
        await anna.setViewportSize({ width: 1280, height: 800 });
        await anna.getByTestId('toggle-chat').click();
        await anna.getByTestId('chat-messages').getByText('Guten Morgen zusammen!').waitFor();
        await sweep(
          [
            { page: teacher, name: 'teacher-tools', room: true },
            { page: anna, name: 'chat', room: true },
          ],
          language,
        );
        await teacher.setViewportSize({ width: 1280, height: 800 });
        await teacher.getByTestId('toggle-teacher').click();
        await anna.setViewportSize({ width: 1280, height: 800 });
        await anna.getByTestId('toggle-chat').click();
      }
      // A private message makes the answer private: Anna's chat addresses the teacher, not everyone.
      await anna.getByTestId('toggle-chat').click();
      expect(await anna.getByTestId('chat-recipient').inputValue()).not.toBe('');
      expect(await anna.getByTestId('chat-time').first().textContent()).toMatch(/^\d\d:\d\d$/);

      // The teacher ends the lesson for everyone, after confirming.
      await teacher.getByTestId('end-lesson').click();
      await teacher.getByTestId('confirm').click();
      await anna.getByTestId('ended').waitFor();
      await ben.getByTestId('ended').waitFor();
      await sweep([{ page: anna, name: 'ended', room: false }], 'de');
      await switchLanguage([anna], 'en');
      await sweep([{ page: anna, name: 'ended', room: false }], 'en');

      expect(problems).toEqual([]);
    },
  );

  it(
    'refusals before the device check, and server errors, in the LMS language',
    { timeout: 120_000 },
    async () => {
      problems.length = 0;
      // A new lesson in which a student is removed; opening the page again tells him at once.
      const teacher = await socketTeacher('ui-teacher-2', 'Frau Berg');
      await teacher.request('lesson:start');
      await teacher.request('mod:settings', { lobbyEnabled: false });
      const student = await connectAs(aula, classroomId, {
        id: 'ui-removed',
        role: 'student',
        name: 'Tim Laut',
      });
      clients.push(student);
      const joined = await student.request('join');
      await teacher.request('mod:remove', { participantId: joined.self.id });
      // The removal is written to the lesson a moment later; the page reads it from there.
      const token = await tokenFor(aula, classroomId, {
        id: 'ui-removed',
        role: 'student',
        name: 'Tim Laut',
      });
      await waitFor(
        async () => {
          const response = await fetch(`${aula.url}/api/classrooms/${classroomId}`, {
            headers: { Authorization: `Bearer ${token}` },
          });
          return ((await response.json()) as { me: { removed: boolean } }).me.removed;
        },
        { what: 'the removal to be recorded' },
      );

      for (const [language, hash] of [
        ['en', ''],
        ['de', '#lang=de'],
      ] as const) {
        // The LMS hands over its language in the fragment; the browser itself speaks English.
        const removed = await openAs({ id: 'ui-removed', role: 'student', name: 'Tim Laut' }, { hash });
        await removed.getByTestId('removed').waitFor();
        expect(await removed.getByTestId('join').count()).toBe(0);
        expect(await removed.locator('html').getAttribute('lang')).toBe(language);

        const refused = await openAs(
          { id: 'ui-nobody', role: 'student', name: 'Niemand' },
          { hash, token: 'not-a-valid-token' },
        );
        await refused.getByTestId('failed').waitFor();
        const failure = (await refused.getByTestId('failure').textContent())!;
        expect(failure).toBe((language === 'de' ? de : en).errors.TOKEN_INVALID);
        await sweep(
          [
            { page: removed, name: 'removed', room: false },
            { page: refused, name: 'refused', room: false },
          ],
          language,
        );
      }
      expect(problems).toEqual([]);
    },
  );
});
