import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Hidden pages must keep decoding: several participants share one browser.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface TestBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with fake camera and microphone and a fresh profile. */
export async function launchBrowser(options: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1280, height: 800 },
    bypassCSP: false,
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ContextBrowser {
  /** A fresh context per user: own cookies, storage and permissions, one Chromium process. */
  newUser(locale?: string): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * One headless Chromium (Playwright gives it a fresh temporary profile) for several users;
 * `args` adds to CHROMIUM_ARGS (a WAV file as the fake microphone, say).
 */
export async function launchUsers(options: { args?: string[] } = {}): Promise<ContextBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  return {
    newUser: (locale = 'en-GB') =>
      browser.newContext({
        locale,
        viewport: { width: 1280, height: 800 },
        permissions: ['camera', 'microphone'],
      }),
    close: () => browser.close(),
  };
}

/** Polls until the check returns a value that is not undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const description = typeof what === 'string' ? what : what();
      throw new Error(`timed out waiting for ${description}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
