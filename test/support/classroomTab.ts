import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_ARGS } from './browser.js';
import type { ClassroomClient } from './classroomClient.js';
import { connectAs, tokenFor } from './classroomFixtures.js';
import { startTestAula, type TestAula } from './testAula.js';

export interface Person {
  id: string;
  role: 'teacher' | 'student';
  name: string;
}

/**
 * A browser tab of one person, opened the way the launch leaves it: the join
 * session in sessionStorage, the browser speaking British English unless
 * `hash` hands over the LMS's language. The context goes into `contexts`.
 */
export async function openClassroomTab(
  setting: { aula: TestAula; browser: Browser; classroomId: string; contexts: BrowserContext[] },
  who: Person,
  options: { hash?: string; token?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const { aula, browser, classroomId } = setting;
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    permissions: ['camera', 'microphone'],
  });
  setting.contexts.push(context);
  // The shape of the client's JoinSession (client/src/storage/joinSession.ts).
  const session = {
    token: options.token ?? (await tokenFor(aula, classroomId, who)),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role: who.role,
    name: who.name,
  };
  // A script string: the Node side has no DOM types.
  await context.addInitScript(
    `window.sessionStorage.setItem(${JSON.stringify(`aula.session.${classroomId}`)}, ${JSON.stringify(JSON.stringify(session))});`,
  );
  const page = await context.newPage();
  await page.goto(`${aula.url}/classroom/${classroomId}${options.hash ?? ''}`);
  return page;
}

/** An Aula in this process and headless Chromium, for a test file's classroom tabs and socket clients. */
export interface ClassroomStage {
  aula: TestAula;
  browser: Browser;
  contexts: BrowserContext[];
  clients: ClassroomClient[];
  /** Closes the clients, the tabs, the browser and Aula. */
  close(): Promise<void>;
}

/** `env` adds to Aula's environment (AULA_RECORDING=on, …). */
export async function openStage(env: Record<string, string> = {}): Promise<ClassroomStage> {
  const aula = await startTestAula(env);
  const browser = await chromium.launch({
    executablePath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const contexts: BrowserContext[] = [];
  const clients: ClassroomClient[] = [];
  return {
    aula,
    browser,
    contexts,
    clients,
    async close() {
      for (const client of clients) client.close();
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await aula.stop();
    },
  };
}

/** A second teacher over a socket, joined to the stage's classroom, with a poll open to the class. */
export async function helperWithPoll(stage: ClassroomStage, classroomId: string, id: string) {
  const helper = await connectAs(stage.aula, classroomId, { id, role: 'teacher', name: 'Herr Hilfe' });
  stage.clients.push(helper);
  await helper.request('join');
  await helper.request('poll:start', {
    question: 'Welcher Fluss ist der längste?',
    kind: 'single',
    options: ['Rhein', 'Donau', 'Elbe'],
    anonymous: true,
    guestsMayAnswer: true,
  });
  return helper;
}

/** A classroom tab that has joined (and, for a teacher, started) the lesson: the control bar is there. */
export async function joinedTab(stage: ClassroomStage, classroomId: string, who: Person): Promise<Page> {
  const page = await openClassroomTab({ ...stage, classroomId }, who);
  await page.getByTestId('join').click();
  if (who.role === 'teacher') await page.getByTestId('start-lesson').click();
  await page.getByTestId('control-bar').waitFor();
  return page;
}

/** Switches each page to a language with the page's own switch (at desktop size, where it shows). */
export async function chooseLanguage(pages: Page[], code: 'en' | 'de'): Promise<void> {
  for (const page of pages) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('language').first().selectOption(code);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(code);
  }
}
