import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import { sweep } from '../support/screenChecks.js';
import type { TestAula } from '../support/testAula.js';

// The pages people meet before a lesson: the home page, a guest's join page
// (empty, and after a wrong password) and the teacher's deep-linking picker
// (the choice, and the guest password to note down), in English and German
// at every screenshot size, 320 px and 200 % zoom included: no horizontal
// scrolling, no control under 24x24 CSS px, no serious axe finding.
// Photographed into test-results/screenshots/entry/.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'entry');
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const COURSE = { id: 'course-geo', title: 'Erdkunde 7b' };
const BROWSER_LOCALE = { en: 'en-GB', de: 'de-DE' } as const;
type Language = keyof typeof BROWSER_LOCALE;

let aula: TestAula;
let platform: PlatformSimulator;
let users: ContextBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  ({ aula, platform } = await startWithPlatform());
  users = await launchUsers();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await users?.close();
  await platform?.close();
  await aula?.stop();
});

/** A page in a browser whose language is `language` (the home and guest pages follow the browser). */
async function pageIn(language: Language): Promise<Page> {
  const context = await users.newUser(BROWSER_LOCALE[language]);
  contexts.push(context);
  return context.newPage();
}

/** A teacher's deep-linking launch from a course whose LMS speaks `language`: where the picker opens. */
async function pickerAddress(language: Language): Promise<string> {
  const launch = await new LtiBrowser(aula.url, platform).launch({
    sub: 'teacher-geo',
    name: 'Frau Berg',
    roles: [INSTRUCTOR],
    messageType: 'LtiDeepLinkingRequest',
    context: COURSE,
    mutate: (claims) => {
      claims[`${LTI}launch_presentation`] = { document_target: 'iframe', locale: language };
    },
  });
  expect(launch.status).toBe(303);
  return new URL(launch.headers.location!, aula.url).href;
}

describe('the pages before a lesson, in English and German at every size', () => {
  it(
    'home, guest join and deep-linking pages reflow, keep 24x24 targets and pass axe',
    { timeout: 600_000 },
    async () => {
      // The course has a classroom already, so the picker lists one to choose.
      const ticket = /#ticket=([^&]+)/.exec(await pickerAddress('en'))![1]!;
      await request(aula.url)
        .post(`/api/deep-link/${ticket}`)
        .send({
          newClassroom: { title: 'Erdkunde live', seatCap: 30, guestAccess: true, lectureMode: false },
        })
        .expect(200);
      const [classroom] = await aula.database.models.classrooms.find({ contextId: COURSE.id }).lean();
      const guests = await aula.services.guests.configure(classroom!._id, { enabled: true });

      const problems: string[] = [];
      const check = async (page: Page, name: string, language: Language) =>
        problems.push(...(await sweep([{ page, name }], language, { dir: SCREENSHOTS })));
      for (const language of ['en', 'de'] as const) {
        const home = await pageIn(language);
        await home.goto(aula.url);
        await expect.poll(() => home.locator('html').getAttribute('lang')).toBe(language);
        await check(home, 'home', language);

        const guest = await pageIn(language);
        await guest.goto(`${aula.url}/join/${guests.linkName}`);
        await expect.poll(() => guest.locator('html').getAttribute('lang')).toBe(language);
        await guest.getByTestId('guest-join').waitFor();
        await check(guest, 'guest-join', language);
        await guest.setViewportSize({ width: 1280, height: 800 });
        await guest.getByTestId('guest-name').fill('Gast Mutter');
        await guest.getByTestId('guest-password').fill('Wrong-Password-1');
        await guest.getByTestId('guest-join').click();
        await guest.getByTestId('guest-error').waitFor();
        await check(guest, 'guest-wrong-password', language);

        const picker = await pageIn(language);
        await picker.goto(await pickerAddress(language));
        await expect.poll(() => picker.locator('html').getAttribute('lang')).toBe(language);
        await picker.getByText('Erdkunde live').waitFor();
        await check(picker, 'deep-link', language);
        await picker.setViewportSize({ width: 1280, height: 800 });
        await picker.getByTestId('classroom-title').fill('Erdkunde Gruppe B');
        await picker.getByTestId('guest-access').check();
        await picker.getByTestId('create-classroom').click();
        await picker.getByTestId('deep-link-password').waitFor();
        await check(picker, 'deep-link-password', language);
      }
      expect(problems).toEqual([]);
    },
  );
});
