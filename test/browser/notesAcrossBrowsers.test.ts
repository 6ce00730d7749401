import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { drivable, launchFirefox, type TestFirefox } from '../support/firefox.js';
import { LessonPage } from '../support/lessonPage.js';
import { notesLine, notesText, openNotes, typeAtEnd, typeOnLine } from '../support/notesPage.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Issue 27 across browsers: a teacher and a student in Chromium and a
// student in Firefox (puppeteer over WebDriver BiDi) write in the same notes
// at once and end with the same text; each one's undo takes back only their
// own typing. Then the notes' formatting (headings, checklist, table, code)
// reaches a reader, a paste of 10 MB is refused in the page, and axe-core
// finds nothing serious in the notes panel,
// the teacher's and a reader's, in English and in German.

let aula: TestAula;
let users: ContextBrowser;
let firefox: TestFirefox;

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
  firefox = await launchFirefox({});
});

afterAll(async () => {
  await firefox?.close();
  await users?.close();
  await aula?.stop();
});

async function open(
  classroomId: string,
  who: { id: string; name: string; role: 'teacher' | 'student' },
  locale?: string,
): Promise<Page> {
  const page = await ClassroomPage.open(await users.newUser(locale), aula.url, {
    token: await tokenFor(aula, classroomId, who),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role: who.role,
    name: who.name,
  });
  await page.join();
  if (who.role === 'student') await page.page.getByTestId('control-bar').waitFor();
  return page.page;
}

/** A teacher in a running lesson of a new classroom. */
async function lessonWithTeacher(title: string, locale?: string) {
  const classroomId = (await createClassroom(aula, { title, lobbyEnabled: false }))._id;
  const teacher = await open(classroomId, { id: 'teacher', name: 'Frau Berg', role: 'teacher' }, locale);
  await teacher.getByTestId('start-lesson').click();
  await teacher.getByTestId('control-bar').waitFor();
  return { classroomId, teacher };
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  state?: () => Promise<unknown>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${state ? `: ${JSON.stringify(await state())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings within the notes panel, under the WCAG 2.x A/AA rules. */
async function notesPanelFindings(page: Page): Promise<string[]> {
  // Evaluated rather than added as a script tag: the page's CSP allows no inline script.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const { findings, passed } = (await page.evaluate(`(async () => {
    const results = await window.axe.run('[data-testid=notes-panel]', {
      runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} },
    });
    return {
      passed: results.passes.length,
      findings: results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.impact + ' ' + v.id + ' at ' + v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')),
    };
  })()`)) as { findings: string[]; passed: number };
  return passed > 0 ? findings : [...findings, 'axe-core passed no rule in the notes panel'];
}

describe('shared notes across browsers', () => {
  it(
    'a teacher and a student in Chromium and a student in Firefox write at once and converge; undo takes back only one’s own',
    { timeout: 180_000 },
    async () => {
      const { classroomId, teacher } = await lessonWithTeacher('Deutsch 8b');
      const anna = await open(classroomId, { id: 'anna', name: 'Anna Weber', role: 'student' });
      const firefoxPage: FirefoxPage = await (await firefox.browser.createBrowserContext()).newPage();
      const ben = new LessonPage(drivable(firefoxPage), 'firefox', 'Ben Schulz');
      await ben.open(aula.url, {
        token: await tokenFor(aula, classroomId, { id: 'ben', role: 'student', name: 'Ben Schulz' }),
        classroomId,
        role: 'student',
      });
      await ben.click('join');
      await ben.waitFor('control-bar', 30_000);

      await openNotes(teacher);
      await teacher.getByTestId('notes-writers').selectOption('everyone');
      await typeAtEnd(teacher, 'Protokoll: Balladen');
      await typeAtEnd(teacher, 'Lehrerin:');
      await typeAtEnd(teacher, 'Anna:');
      await typeAtEnd(teacher, 'Ben:');
      await openNotes(anna);
      await ben.click('notes-open');
      await ben.waitFor('notes-tool-bold', 30_000);
      for (const page of [anna, firefoxPage])
        await until('the lines everywhere', async () => (await notesText(page)).includes('Ben:'));

      // All three at once, each on their own line (the first line is the empty one the notes start with).
      const benTypes = async (text: string) => {
        await firefoxPage.bringToFront();
        await firefoxPage.click(notesLine(5));
        await firefoxPage.keyboard.press('End');
        await firefoxPage.keyboard.type(text, { delay: 15 });
      };
      await Promise.all([
        typeOnLine(teacher, 3, ' Lehrerin schreibt'),
        typeOnLine(anna, 4, ' Anna schreibt'),
        benTypes(' Ben schreibt in Firefox'),
      ]);
      const lines = ['Lehrerin: Lehrerin schreibt', 'Anna: Anna schreibt', 'Ben: Ben schreibt in Firefox'];
      const pages = [teacher, anna, firefoxPage];
      await until('every line on every page', async () =>
        (await Promise.all(pages.map(notesText))).every((text) => lines.every((line) => text.includes(line))),
      );
      await until(
        'the same text everywhere',
        async () => new Set(await Promise.all(pages.map(notesText))).size === 1,
      );
      // Ben's caret, from Firefox, carries his name at the teacher's.
      await expect
        .poll(() => teacher.locator('.collaboration-carets__label').allInnerTexts())
        .toEqual(expect.arrayContaining(['Ben Schulz']));

      // The teacher writes last; then Ben undoes in Firefox (step by step, as each one's history
      // groups keystrokes by time) until his words are gone: the others' text stays, everywhere.
      await typeOnLine(teacher, 2, ' (Ende)');
      await until('the teacher’s last words in Firefox', async () =>
        (await notesText(firefoxPage)).includes('Balladen (Ende)'),
      );
      const lineOf = async (page: Page | FirefoxPage, start: string) =>
        (await notesText(page)).split('\n').find((line) => line.startsWith(start));
      const undoUntil = async (undo: () => Promise<void>, start: string) => {
        for (let step = 0; step < 40 && (await lineOf(teacher, start)) !== start; step += 1) {
          const before = await lineOf(teacher, start);
          await undo();
          await until('the undo at the teacher', async () => (await lineOf(teacher, start)) !== before);
        }
      };
      await undoUntil(() => ben.click('notes-tool-undo'), 'Ben:');
      await undoUntil(() => anna.getByTestId('notes-tool-undo').click(), 'Anna:');
      const after = ['Protokoll: Balladen (Ende)', 'Lehrerin: Lehrerin schreibt', 'Anna:', 'Ben:'];
      await until(
        'both undone on every page, the teacher’s text kept',
        async () =>
          (await Promise.all(pages.map(notesText))).every((text) =>
            after.every((line) => text.split('\n').includes(line)),
          ),
        () => Promise.all(pages.map(notesText)),
      );
      await firefoxPage.browserContext().close();
    },
  );

  for (const [language, locale] of [
    ['English', 'en-GB'],
    ['German', 'de-DE'],
  ] as const) {
    it(
      `shows headings, a checklist, a table and code to a reader, refuses a 10 MB paste; the notes panel passes axe in ${language}`,
      { timeout: 120_000 },
      async () => {
        const { classroomId, teacher } = await lessonWithTeacher(`Informatik ${locale}`, locale);
        const clara = await open(classroomId, { id: 'clara', name: 'Clara Neu', role: 'student' }, locale);
        await openNotes(teacher);
        const editor = teacher.getByTestId('notes-text');
        await editor.click();
        await teacher.getByTestId('notes-tool-h1').click();
        await teacher.keyboard.type('Aufgaben');
        await teacher.keyboard.press('Enter');
        await teacher.getByTestId('notes-tool-checklist').click();
        await teacher.keyboard.type('Seite 12 lesen');
        await teacher.keyboard.press('Enter');
        await teacher.keyboard.press('Enter');
        await teacher.getByTestId('notes-tool-code').click();
        await teacher.keyboard.type('print("Hallo")');
        await teacher.keyboard.press('Enter');
        await teacher.keyboard.press('Enter');
        await teacher.keyboard.press('Enter');
        await teacher.getByTestId('notes-tool-table').click();
        await teacher.keyboard.type('Begriff');

        await openNotes(clara);
        const reader = clara.getByTestId('notes-text');
        await reader.locator('table th', { hasText: 'Begriff' }).waitFor();
        await reader.locator('h1', { hasText: 'Aufgaben' }).waitFor();
        await reader.locator('ul[data-type=taskList] li', { hasText: 'Seite 12 lesen' }).waitFor();
        await reader.locator('pre code', { hasText: 'print("Hallo")' }).waitFor();
        await reader.locator('table th', { hasText: 'Begriff' }).waitFor();
        await clara.getByTestId('notes-read-only').waitFor();
        // The checklist's box is named in the page's language.
        expect(await reader.locator('ul[data-type=taskList] input').getAttribute('aria-label')).toBe(
          locale === 'de-DE' ? 'Punkt der Checkliste: Seite 12 lesen' : 'Checklist item: Seite 12 lesen',
        );

        // A paste of 10 MB is refused in the page with a notice in its language; the notes stay as they were.
        const before = await notesText(teacher);
        await teacher.getByTestId('notes-text').evaluate((editor) => {
          const data = new DataTransfer();
          data.setData('text/plain', 'x'.repeat(10_000_000));
          editor.dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
        });
        await teacher
          .getByTestId('notice')
          .filter({ hasText: locale === 'de-DE' ? 'zu viel auf einmal' : 'too much to paste at once' })
          .waitFor();
        expect(await notesText(teacher)).toBe(before);
        expect(await notesText(clara)).toBe(before);

        // The teacher's panel with its tools and the history open; the reader's, read-only.
        await teacher.getByTestId('notes-teacher-tools').locator('summary').first().click();
        expect(await teacher.locator('html').getAttribute('lang')).toBe(locale.slice(0, 2));
        expect(await notesPanelFindings(teacher)).toEqual([]);
        expect(await notesPanelFindings(clara)).toEqual([]);
        await clara.context().close();
        await teacher.context().close();
      },
    );
  }
});
