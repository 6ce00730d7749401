import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { NodeWebSocketTransport } from 'puppeteer-core/internal/node/NodeWebSocketTransport.js';

export const FIREFOX_PATH = process.env.AULA_FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Preferences of the test profile: fake devices without prompts, nothing fetched from outside. */
const PREFERENCES: Record<string, string | number | boolean> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Screen sharing has no fake source; the picker is skipped so the browser answers at once.
  'media.getdisplaymedia.enabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // One content process: what puppeteer's own Firefox profile sets for BiDi input.
  'fission.webContentIsolationStrategy': 0,
  'browser.shell.checkDefaultBrowser': false,
  'app.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'dom.push.connection.enabled': false,
};

export interface TestFirefox {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver
 * BiDi. `wrap` runs it elsewhere (inside a network namespace); `reach`
 * turns the port its remote agent listens on into a Unix socket the test
 * can connect to from outside that namespace.
 */
export async function launchFirefox(options: {
  executable?: string;
  reach?: (port: number) => Promise<string>;
  /** More preferences for this profile (host names, cookie behaviour). */
  preferences?: Record<string, string | number | boolean>;
  /** Trust a test's own certificates. */
  acceptInsecureCerts?: boolean;
}): Promise<TestFirefox> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-firefox-'));
  fs.writeFileSync(
    path.join(profile, 'user.js'),
    Object.entries({ ...PREFERENCES, ...options.preferences })
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join('\n'),
  );
  const child = spawn(
    options.executable ?? FIREFOX_PATH,
    ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
  );
  try {
    const port = await remoteAgentPort(child);
    const transport = options.reach
      ? await NodeWebSocketTransport.create(`ws+unix:${await options.reach(port)}:/session`, {
          Host: `127.0.0.1:${port}`,
        })
      : await NodeWebSocketTransport.create(`ws://127.0.0.1:${port}/session`);
    const browser = await puppeteer.connect({
      transport,
      protocol: 'webDriverBiDi',
      defaultViewport: null,
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
    });
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await stopProcess(child);
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopProcess(child);
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

function remoteAgentPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`Firefox did not start its remote agent: ${seen}`)),
      60_000,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /WebDriver BiDi listening on ws:\/\/[^:]+:(\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited with ${String(code)}: ${seen}`));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(kill);
}

/**
 * A puppeteer page as the tests' page helpers take it: puppeteer spreads
 * evaluate's arguments where Playwright takes one; with one argument they agree.
 */
export function drivable(page: Page) {
  function evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  function evaluate(script: string): Promise<unknown>;
  function evaluate<R, A>(fn: ((arg: A) => R | Promise<R>) | string, arg?: A): Promise<unknown> {
    return typeof fn === 'string' ? page.evaluate(fn) : page.evaluate(fn as (value: unknown) => R, arg);
  }
  return {
    goto: (url: string) => page.goto(url),
    click: (selector: string) => page.click(selector),
    evaluate,
    bringToFront: () => page.bringToFront(),
    close: () => page.close(),
  };
}
