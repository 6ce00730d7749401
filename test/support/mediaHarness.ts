import { fileURLToPath } from 'node:url';
import type { JoinResult, RequestName } from '../../src/protocol/index.js';
import type { CipherStats } from '../../client/src/e2ee/workerMessages.js';
import type { InboundStats, OutboundStats } from '../../client/src/media/mediaStats.js';
import type { TestBrowser } from './browser.js';
import { pageBundle } from './pageBundle.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** What the harness needs of a page: Playwright's (Chromium) and puppeteer's (Firefox) both have it. */
export interface ScriptablePage {
  goto(url: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate(script: string): Promise<unknown>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
}

/** One participant: a page in the test browser running Aula's media client. */
export class MediaParticipant {
  private constructor(readonly page: ScriptablePage) {}

  /** `encrypted`: the page can take part in end-to-end encrypted lessons (frame cipher, key agreement). */
  static async open(
    browser: TestBrowser | { newPage(): Promise<ScriptablePage> },
    aulaUrl: string,
    options: { encrypted?: boolean } = {},
  ) {
    const page: ScriptablePage = await browser.newPage();
    // Aula's own origin: the page is a secure context and its socket same-origin. Not /healthz:
    // Firefox shows JSON in a viewer of its own, where scripts of the page do not run.
    await page.goto(`${aulaUrl}/`);
    // Evaluated through the driver, which the page's Content-Security-Policy does not restrict.
    await page.evaluate(await pageBundle(here('./browser/harnessEntry.ts')));
    if (options.encrypted) {
      // The frame cipher's worker is started from this text as a blob.
      const worker = await pageBundle(here('../../client/src/e2ee/frameWorker.ts'));
      await page.evaluate(
        (code) => ((window as unknown as { frameWorkerCode: string }).frameWorkerCode = code),
        worker,
      );
      await page.evaluate(await pageBundle(here('./browser/harnessE2eeEntry.ts')));
    }
    return new MediaParticipant(page);
  }

  join(url: string, token: string): Promise<JoinResult> {
    return this.page.evaluate(([u, t]) => window.harness.join(u!, t!), [url, token]);
  }

  /** When each step of the last join ended, in milliseconds from its start. */
  joinSteps(): Promise<Record<string, number>> {
    return this.page.evaluate(() => window.harness.joinSteps(), undefined);
  }

  timeToFirstFrame(url: string, token: string): Promise<number> {
    return this.page.evaluate(([u, t]) => window.harness.timeToFirstFrame(u!, t!), [url, token]);
  }

  async camera(width = 640, height = 360): Promise<void> {
    // Firefox captures only in the tab in front.
    await this.page.bringToFront();
    await this.page.evaluate(([w, h]) => window.harness.camera(w!, h!), [width, height]);
  }

  async mic(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => window.harness.mic(), undefined);
  }

  publishCanvas(source: 'screen' | 'camera'): Promise<{ ok: boolean; code?: string }> {
    return this.page.evaluate((s) => window.harness.publishCanvas(s), source);
  }

  setPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    return this.page.evaluate(([s, p]) => window.harness.setPaused(s, p), [source, paused] as const);
  }

  setVisibleTiles(visible: string[], focus: string | null): Promise<void> {
    return this.page.evaluate(([v, f]) => window.harness.setVisibleTiles(v, f), [visible, focus] as const);
  }

  request(name: RequestName, payload: unknown = {}): Promise<{ ok: boolean; data?: unknown; code?: string }> {
    return this.page.evaluate(([n, p]) => window.harness.request(n, p), [name, payload] as const);
  }

  /** The frame cipher's counters and each receiver's epoch (encrypted lessons); null otherwise. */
  cipherStats(): Promise<CipherStats | null> {
    return this.page.evaluate(() => window.harness.cipherStats(), undefined);
  }

  inbound(): Promise<InboundStats[]> {
    return this.page.evaluate(() => window.harness.inbound(), undefined);
  }

  outbound(): Promise<OutboundStats[]> {
    return this.page.evaluate(() => window.harness.outbound(), undefined);
  }

  events(): Promise<Array<{ name: string; payload: unknown }>> {
    return this.page.evaluate(() => window.harness.events(), undefined);
  }

  transportStates(): Promise<Array<{ direction: string; state: string }>> {
    return this.page.evaluate(() => window.harness.transportStates(), undefined);
  }

  connectionState(): Promise<string> {
    return this.page.evaluate(() => window.harness.connectionState(), undefined);
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => window.harness.close(), undefined).catch(() => undefined);
    await this.page.close();
  }
}

/** The page's global, as harnessEntry.ts installs it; the Node side has no DOM types. */
declare const window: {
  harness: {
    join(url: string, token: string): Promise<JoinResult>;
    timeToFirstFrame(url: string, token: string): Promise<number>;
    joinSteps(): Record<string, number>;
    camera(width: number, height: number): Promise<void>;
    mic(): Promise<void>;
    publishCanvas(source: string): Promise<{ ok: boolean; code?: string }>;
    setVisibleTiles(visible: readonly string[], focus: string | null): Promise<void>;
    setPaused(source: string, paused: boolean): Promise<void>;
    request(name: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; code?: string }>;
    cipherStats(): Promise<CipherStats | null>;
    inbound(): Promise<InboundStats[]>;
    outbound(): Promise<OutboundStats[]>;
    events(): Array<{ name: string; payload: unknown }>;
    transportStates(): Array<{ direction: string; state: string }>;
    connectionState(): string;
    close(): void;
  };
};
