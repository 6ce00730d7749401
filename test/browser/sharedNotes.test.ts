import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { createClassroom, tokenFor } from '../support/classroomFixtures.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { notesText, openNotes, typeAtEnd, typeOnLine } from '../support/notesPage.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Issue 27 in the real pages: a teacher and two students write in the same
// notes and see each other's text and carets; a student who may only read
// cannot change them; the notes open again in the next lesson (and on the
// waiting page before it, read-only); an export downloads what was written;
// the last lesson's snapshot is viewed and restored from the history.

let aula: TestAula;
let users: ContextBrowser;
let classroomId: string;

beforeAll(async () => {
  aula = await startTestAula();
  users = await launchUsers();
  classroomId = (await createClassroom(aula, { title: 'Deutsch 7a', lobbyEnabled: false }))._id;
});

afterAll(async () => {
  await users?.close();
  await aula?.stop();
});

async function open(id: string, name: string, role: 'teacher' | 'student'): Promise<ClassroomPage> {
  return ClassroomPage.open(await users.newUser(), aula.url, {
    token: await tokenFor(aula, classroomId, { id, role, name }),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role,
    name,
  });
}

describe('shared notes in the classroom pages', () => {
  it(
    'a teacher and two students write at once and see each other; a reader cannot change them',
    { timeout: 180_000 },
    async () => {
      const teacherPage = await open('teacher', 'Frau Berg', 'teacher');
      await teacherPage.join();
      await teacherPage.page.getByTestId('start-lesson').click();
      await teacherPage.page.getByTestId('control-bar').waitFor();
      const [annaPage, benPage] = await Promise.all([
        open('anna', 'Anna Weber', 'student'),
        open('ben', 'Ben Schulz', 'student'),
      ]);
      await Promise.all([annaPage.join(), benPage.join()]);
      const teacher = teacherPage.page;
      const anna = annaPage.page;
      const ben = benPage.page;
      for (const student of [anna, ben]) await student.getByTestId('control-bar').waitFor();

      await openNotes(teacher);
      await teacher.getByTestId('notes-writers').selectOption('everyone');
      await typeAtEnd(teacher, 'Protokoll: Gedichte');
      await Promise.all([openNotes(anna), openNotes(ben)]);
      await expect.poll(() => notesText(anna)).toContain('Protokoll: Gedichte');
      await anna.getByTestId('notes-tool-bold').waitFor();

      // All three type at the same time, each on a line of their own (the first line is the empty one
      // the notes start with); everyone ends with every line.
      await typeAtEnd(teacher, 'Lehrerin:');
      await typeAtEnd(teacher, 'Anna:');
      await typeAtEnd(teacher, 'Ben:');
      await expect.poll(() => notesText(ben)).toContain('Ben:');
      await expect.poll(() => notesText(anna)).toContain('Ben:');
      await Promise.all([
        typeOnLine(teacher, 3, ' Lehrerin schreibt'),
        typeOnLine(anna, 4, ' Anna schreibt'),
        typeOnLine(ben, 5, ' Ben schreibt'),
      ]);
      for (const page of [teacher, anna, ben]) {
        for (const line of ['Lehrerin: Lehrerin schreibt', 'Anna: Anna schreibt', 'Ben: Ben schreibt'])
          await expect.poll(() => notesText(page)).toContain(line);
      }
      await expect.poll(async () => (await notesText(teacher)) === (await notesText(ben))).toBe(true);
      // Carets carry the writers' names.
      await expect
        .poll(() => teacher.locator('.collaboration-carets__label').allInnerTexts())
        .toEqual(expect.arrayContaining(['Anna Weber']));

      // Only Anna may write now: Ben's page turns read-only and his typing changes nothing.
      await teacher.getByTestId('notes-writers').selectOption('chosen');
      await teacher.getByTestId('notes-may-write-Anna Weber').check();
      await ben.getByTestId('notes-read-only').waitFor();
      await expect.poll(() => ben.getByTestId('notes-text').getAttribute('contenteditable')).toBe('false');
      // Still in reach of Ben's keyboard (the arrow keys scroll a long page): a read-only text box
      // in the tab order, described by the hint above it.
      const reader = ben.getByRole('textbox', { name: 'Shared notes' });
      expect(await reader.getAttribute('aria-readonly')).toBe('true');
      expect(await reader.getAttribute('tabindex')).toBe('0');
      const hint = await ben.getByTestId('notes-read-only').getAttribute('id');
      expect(hint).toBeTruthy();
      expect(await reader.getAttribute('aria-describedby')).toBe(hint);
      await expect.poll(() => anna.getByTestId('notes-text').getAttribute('aria-readonly')).toBeNull();
      const before = await notesText(teacher);
      await ben.getByTestId('notes-text').click();
      await ben.keyboard.type('Ben darf nicht');
      await typeAtEnd(anna, 'Anna darf weiter');
      await expect.poll(() => notesText(teacher)).toContain('Anna darf weiter');
      expect(await notesText(teacher)).not.toContain('Ben darf nicht');
      expect(before).not.toContain('Ben darf nicht');

      // The notes as Markdown, downloaded from the panel.
      const download = anna.waitForEvent('download');
      await anna.getByTestId('notes-export-md').click();
      const file = await (await download).path();
      const markdown = fs.readFileSync(file, 'utf8');
      expect(markdown).toContain('Protokoll: Gedichte');
      expect(markdown).toContain('Anna darf weiter');

      await teacher
        .getByTestId('end-lesson')
        .click()
        .catch(() => undefined);
      await aula.services.rooms.peek(classroomId).then((room) => room?.endLesson('teacher'));
      for (const page of [teacherPage, annaPage, benPage]) await page.page.context().close();
    },
  );

  it(
    'opens the same notes in the next lesson, and read-only on the waiting page before it',
    { timeout: 120_000 },
    async () => {
      // Whatever the first test left: no lesson runs now.
      await aula.services.rooms.peek(classroomId).then((room) => room?.endLesson('teacher'));
      const annaPage = await open('anna', 'Anna Weber', 'student');
      await annaPage.join();
      const anna = annaPage.page;
      await anna.getByTestId('lobby-wait').waitFor();
      await openNotes(anna);
      await expect.poll(() => notesText(anna)).toContain('Anna darf weiter');
      await anna.getByTestId('notes-read-only').waitFor();

      const teacherPage = await open('teacher', 'Frau Berg', 'teacher');
      await teacherPage.join();
      const teacher = teacherPage.page;
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('control-bar').waitFor();
      await openNotes(teacher);
      await expect.poll(() => notesText(teacher)).toContain('Protokoll: Gedichte');
      // A page for today beside the old one.
      await teacher.getByTestId('notes-new-page').click();
      await expect.poll(() => teacher.getByTestId('notes-page').locator('option').count()).toBe(2);
      await typeAtEnd(teacher, 'Neue Stunde');
      await expect.poll(() => notesText(teacher)).toContain('Neue Stunde');
      expect(await notesText(teacher)).not.toContain('Protokoll: Gedichte');

      // The history holds the last lesson's snapshot: viewed in place, then restored.
      await teacher.getByTestId('notes-teacher-tools').locator('summary').first().click();
      const row = teacher.getByTestId('notes-snapshot-row').first();
      await expect.poll(() => row.innerText()).toContain('End of lesson');
      await row.getByRole('button', { name: 'View' }).click();
      await expect
        .poll(async () => (await teacher.getByTestId('notes-preview').getAttribute('srcdoc')) ?? '')
        .toContain('Anna darf weiter');
      await teacher.getByTestId('notes-preview-back').click();
      await teacher.getByTestId('notes-teacher-tools').locator('summary').first().click();
      teacher.once('dialog', (dialog) => void dialog.accept());
      await teacher.getByTestId('notes-snapshot-row').first().getByTestId('notes-restore').click();
      await expect.poll(() => notesText(teacher)).toContain('Protokoll: Gedichte');
      expect(await notesText(teacher)).not.toContain('Neue Stunde');
      await expect.poll(() => teacher.getByTestId('notes-page').count()).toBe(0);
      // Anna came from the waiting page into the lesson: her notes open there anew, as restored.
      if ((await anna.getByTestId('notes-open').count()) > 0) await openNotes(anna);
      await expect.poll(() => notesText(anna)).toContain('Protokoll: Gedichte');
      expect(await notesText(anna)).not.toContain('Neue Stunde');
    },
  );

  it(
    'a student whose pen is taken back while writing: the refused text goes, and with the pen again their words reach everyone',
    { timeout: 120_000 },
    async () => {
      const ownClassroom = (await createClassroom(aula, { title: 'Deutsch 7c', lobbyEnabled: false }))._id;
      const openIn = async (context: BrowserContext, id: string, name: string, role: 'teacher' | 'student') =>
        ClassroomPage.open(context, aula.url, {
          token: await tokenFor(aula, ownClassroom, { id, role, name }),
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          classroomId: ownClassroom,
          role,
          name,
        });
      const teacherPage = await openIn(await users.newUser(), 'teacher', 'Frau Berg', 'teacher');
      await teacherPage.join();
      const teacher = teacherPage.page;
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('control-bar').waitFor();
      await openNotes(teacher);
      await teacher.getByTestId('notes-writers').selectOption('everyone');

      // Anna's page hears late that the pen was taken back: the server's word on access is held back.
      const annaContext = await users.newUser();
      let holdAccess = false;
      await annaContext.routeWebSocket(/socket\.io/, (ws) => {
        const server = ws.connectToServer();
        server.onMessage((message) => {
          if (holdAccess && typeof message === 'string' && message.includes('"collab:access"')) return;
          ws.send(message);
        });
      });
      const annaPage = await openIn(annaContext, 'anna', 'Anna Weber', 'student');
      await annaPage.join();
      const anna = annaPage.page;
      await anna.getByTestId('control-bar').waitFor();
      await openNotes(anna);
      await anna.getByTestId('notes-tool-bold').waitFor();
      await typeAtEnd(anna, 'Anna: erlaubt');
      await expect.poll(() => notesText(teacher)).toContain('Anna: erlaubt');

      holdAccess = true;
      await teacher.getByTestId('notes-writers').selectOption('teachers');
      await teacher.waitForTimeout(500);
      await typeAtEnd(anna, 'Anna: verboten');
      await anna
        .getByTestId('notice')
        .filter({ hasText: 'You may not write in these notes right now.' })
        .waitFor();
      // The refused text is gone from her page too: it opened the notes afresh from the server's.
      await expect.poll(() => notesText(anna)).not.toContain('verboten');
      expect(await notesText(anna)).toContain('Anna: erlaubt');
      holdAccess = false;

      await teacher.getByTestId('notes-writers').selectOption('everyone');
      await anna.getByTestId('notes-tool-bold').waitFor();
      await typeAtEnd(anna, 'Anna: wieder erlaubt');
      await expect.poll(() => notesText(teacher)).toContain('Anna: wieder erlaubt');
      expect(await notesText(teacher)).not.toContain('verboten');
      await teacher.context().close();
      await annaContext.close();
    },
  );

  it(
    'a letter typed straight after a toolbar button lands in the notes, not in the classroom’s shortcuts',
    { timeout: 60_000 },
    async () => {
      // The tool's own focus() comes back to the editor only on the next animation frame; a quick
      // typist's "S" before it went to the button, where the classroom took it for "share the screen".
      const ownClassroom = (await createClassroom(aula, { title: 'Deutsch 7b', lobbyEnabled: false }))._id;
      const teacherPage = await ClassroomPage.open(await users.newUser(), aula.url, {
        token: await tokenFor(aula, ownClassroom, { id: 'teacher', role: 'teacher', name: 'Frau Berg' }),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        classroomId: ownClassroom,
        role: 'teacher',
        name: 'Frau Berg',
      });
      await teacherPage.join();
      const teacher = teacherPage.page;
      await teacher.getByTestId('start-lesson').click();
      await teacher.getByTestId('control-bar').waitFor();
      await openNotes(teacher);
      await teacher.getByTestId('notes-text').click();
      // No animation frame runs until the letter is typed: the slowest page, made certain.
      await teacher.evaluate(() => {
        (window as unknown as { heldFrame: typeof requestAnimationFrame }).heldFrame =
          window.requestAnimationFrame;
        window.requestAnimationFrame = () => 0;
      });
      await teacher.getByTestId('notes-tool-checklist').click();
      expect(
        await teacher.evaluate(() => (document.activeElement as HTMLElement | null)?.isContentEditable),
      ).toBe(true);
      await teacher.keyboard.type('Seite 12');
      await teacher.evaluate(() => {
        window.requestAnimationFrame = (
          window as unknown as { heldFrame: typeof requestAnimationFrame }
        ).heldFrame;
      });
      await expect.poll(() => notesText(teacher)).toContain('Seite 12');
      await teacher
        .locator('[data-testid=notes-text] ul[data-type=taskList] li', { hasText: 'Seite 12' })
        .waitFor();
      await teacher.context().close();
    },
  );
});
