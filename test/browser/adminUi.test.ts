import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { ClassroomClient } from '../support/classroomClient.js';
import { joinedStudent, lessonWithStudents, tokenFor } from '../support/classroomFixtures.js';
import { sweep } from '../support/screenChecks.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// /admin as the people who run Aula see it: what is happening now (live
// lessons, nodes, health, refusals, retention) above the registrations, in
// English and German, photographed into test-results/screenshots/admin/ and
// checked like the classroom pages.

const SCREENSHOTS = path.resolve('test-results', 'screenshots', 'admin');

let aula: TestAula;
let browser: TestBrowser;
const clients: ClassroomClient[] = [];

beforeAll(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  aula = await startTestAula({ AULA_NODE_ID: 'aula-1', AULA_LOGIN_RATE_PER_MINUTE: '1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await aula?.stop();
});

const admin = () => ({ Authorization: `Bearer ${aula.adminToken.value}` });

async function registerPlatform(host: string, name: string): Promise<string> {
  const { body } = await request(aula.url)
    .post('/api/admin/platforms')
    .set(admin())
    .send({
      issuer: `https://${host}`,
      clientId: `${host}-client`,
      name,
      authenticationEndpoint: `https://${host}/mod/lti/auth.php`,
      accessTokenEndpoint: `https://${host}/mod/lti/token.php`,
      keysetUrl: `https://${host}/mod/lti/certs.php`,
      deployments: ['1'],
    })
    .expect(201);
  return body.id as string;
}

async function language(page: Page, language: 'en' | 'de'): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('language').first().selectOption(language);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
}

describe('the admin page', () => {
  it(
    'shows live lessons, nodes, health, refusals and retention, in English and German',
    { timeout: 300_000 },
    async () => {
      // A school whose lesson runs, and one that switched Aula off but whose pupils still try.
      const running = await registerPlatform('moodle.gymnasium.example', 'Moodle Gymnasium');
      const lesson = await lessonWithStudents(aula, ['Anna', 'Ben', 'Clara'], clients);
      await aula.services.classrooms.update(lesson.classroom._id, { title: 'Physik 10a' });
      await aula.database.models.classrooms.updateOne({ _id: lesson.classroom._id }, { platformId: running });
      const off = await registerPlatform('moodle.realschule.example', 'Moodle Realschule');
      const classroom = await aula.services.classrooms.create(
        { platformId: off, deploymentId: '1', contextId: 'course' },
        { title: 'Musik 7b', seatCap: 25 },
        'creator',
      );
      await request(aula.url)
        .patch(`/api/admin/platforms/${off}`)
        .set(admin())
        .send({ enabled: false })
        .expect(200);
      const token = await tokenFor(aula, classroom._id, { id: 'late', role: 'student' });
      await request(aula.url)
        .get(`/api/classrooms/${classroom._id}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(403);
      for (let i = 0; i < 3; i++) {
        await request(aula.url)
          .get('/lti/login')
          .query({
            iss: 'https://moodle.gymnasium.example',
            login_hint: 'x',
            target_link_uri: `${aula.url}/lti/launch`,
          });
      }
      clients.push((await joinedStudent(aula, lesson.classroom._id, { id: 'Dana' })).client);

      const page = await browser.newPage();
      await page.goto(`${aula.url}/admin`);
      // The sign-in form, in both languages at every size, 320 px and 200 % zoom included.
      const problems = await sweep([{ page, name: 'sign-in' }], 'en', { dir: SCREENSHOTS });
      await language(page, 'de');
      await page.getByText('Anmelden').waitFor();
      problems.push(...(await sweep([{ page, name: 'sign-in' }], 'de', { dir: SCREENSHOTS })));
      await language(page, 'en');
      await page.getByTestId('admin-token').fill(aula.adminToken.value);
      await page.getByTestId('admin-login').click();

      const lessons = page.getByTestId('ops-lessons');
      await lessons.getByText('Physik 10a').waitFor();
      const row = lessons.locator('tbody tr', { hasText: 'Physik 10a' });
      await expect
        .poll(() => row.locator('td').allTextContents())
        .toEqual([
          'Physik 10a',
          'Moodle Gymnasium',
          '5',
          'aula-1',
          expect.stringMatching(/^\d\d:\d\d \(\d+ min\)$/),
        ]);
      const node = page.getByTestId('ops-nodes').locator('tbody tr');
      await expect.poll(() => node.textContent()).toContain('aula-1');
      expect(await node.textContent()).toContain(`Node.js ${process.versions.node}`);
      expect(await page.getByTestId('ops-database').textContent()).toContain('The database answers.');
      expect(await page.getByTestId('ops-workers').locator('tbody tr').count()).toBe(1);
      const refusals = page.getByTestId('ops-refusals');
      await expect
        .poll(() => refusals.locator('tbody tr', { hasText: 'Moodle Realschule' }).textContent())
        .toContain('Switched off');
      expect(await refusals.textContent()).toContain('Login limit per address reached');
      expect(await page.getByTestId('ops-retention').textContent()).toContain('180 days');

      // Every size, 320 px and 200 % zoom included: the German tables once pushed the page 29 px wide.
      const sizes = { dir: SCREENSHOTS };
      problems.push(...(await sweep([{ page, name: 'operations' }], 'en', sizes)));
      await language(page, 'de');
      await page.getByTestId('ops-lessons').getByText('Teilnehmende').waitFor();
      expect(await page.getByTestId('ops-database').textContent()).toContain('Die Datenbank antwortet.');
      problems.push(...(await sweep([{ page, name: 'operations' }], 'de', sizes)));
      expect(problems).toEqual([]);
    },
  );
});
