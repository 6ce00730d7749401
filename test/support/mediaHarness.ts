import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { JoinResult, RequestName } from '../../src/signaling/protocol.js';
import type { InboundStats, OutboundStats } from '../../client/src/media/mediaStats.js';
import type { TestBrowser } from './browser.js';
import { pageBundle } from './pageBundle.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** One participant: a page in the test browser running Aula's media client. */
export class MediaParticipant {
  private constructor(readonly page: Page) {}

  static async open(browser: TestBrowser, aulaUrl: string): Promise<MediaParticipant> {
    const page = await browser.newPage();
    // Aula's own origin: the page is a secure context and its socket same-origin. Aula's
    // policy allows same-origin scripts only, so the bundle is handed out at an Aula URL.
    const script = `${aulaUrl}/test-harness.js`;
    const bundle = await pageBundle(here('./browser/harnessEntry.ts'));
    await page.route(script, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
    await page.goto(`${aulaUrl}/healthz`);
    await page.addScriptTag({ url: script });
    return new MediaParticipant(page);
  }

  join(url: string, token: string): Promise<JoinResult> {
    return this.page.evaluate(([u, t]) => window.harness.join(u!, t!), [url, token]);
  }

  /** When each step of the last join ended, in milliseconds from its start. */
  joinSteps(): Promise<Record<string, number>> {
    return this.page.evaluate(() => window.harness.joinSteps());
  }

  timeToFirstFrame(url: string, token: string): Promise<number> {
    return this.page.evaluate(([u, t]) => window.harness.timeToFirstFrame(u!, t!), [url, token]);
  }

  camera(width = 640, height = 360): Promise<void> {
    return this.page.evaluate(([w, h]) => window.harness.camera(w!, h!), [width, height]);
  }

  mic(): Promise<void> {
    return this.page.evaluate(() => window.harness.mic());
  }

  publishCanvas(source: 'screen' | 'camera'): Promise<{ ok: boolean; code?: string }> {
    return this.page.evaluate((s) => window.harness.publishCanvas(s), source);
  }

  setVisibleTiles(visible: string[], focus: string | null): Promise<void> {
    return this.page.evaluate(([v, f]) => window.harness.setVisibleTiles(v, f), [visible, focus] as const);
  }

  request(name: RequestName, payload: unknown = {}): Promise<{ ok: boolean; data?: unknown; code?: string }> {
    return this.page.evaluate(([n, p]) => window.harness.request(n, p), [name, payload] as const);
  }

  inbound(): Promise<InboundStats[]> {
    return this.page.evaluate(() => window.harness.inbound());
  }

  outbound(): Promise<OutboundStats[]> {
    return this.page.evaluate(() => window.harness.outbound());
  }

  events(): Promise<Array<{ name: string; payload: unknown }>> {
    return this.page.evaluate(() => window.harness.events());
  }

  transportStates(): Promise<Array<{ direction: string; state: string }>> {
    return this.page.evaluate(() => window.harness.transportStates());
  }

  connectionState(): Promise<string> {
    return this.page.evaluate(() => window.harness.connectionState());
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => window.harness.close()).catch(() => undefined);
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
    request(name: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; code?: string }>;
    inbound(): Promise<InboundStats[]>;
    outbound(): Promise<OutboundStats[]>;
    events(): Array<{ name: string; payload: unknown }>;
    transportStates(): Array<{ direction: string; state: string }>;
    connectionState(): string;
    close(): void;
  };
};
