import type { BrowserContext, Page } from 'playwright-core';
import type { AulaInstance } from '../../src/server.js';
import type { ContextBrowser } from './browser.js';
import { tokenFor } from './classroomFixtures.js';

export interface PageSession {
  token: string;
  expiresAt: number;
  classroomId: string;
  role: 'teacher' | 'student' | 'guest';
  name: string;
}

/** What the page's peer connections received so far, summed over all of them. */
export interface ReceivedMedia {
  videoFrames: number;
  audioBytes: number;
  /** Inbound video streams that decoded at least one frame. */
  videoStreams: number;
}

const RECEIVED_MEDIA = `(async () => {
  const totals = { videoFrames: 0, audioBytes: 0, videoStreams: 0 };
  for (const connection of window.__peerConnections ?? []) {
    if (connection.connectionState === 'closed') continue;
    const report = await connection.getStats();
    report.forEach((stat) => {
      if (stat.type !== 'inbound-rtp') return;
      if (stat.kind === 'video') {
        const frames = Number(stat.framesDecoded ?? 0);
        totals.videoFrames += frames;
        if (frames > 0) totals.videoStreams += 1;
      } else if (stat.kind === 'audio') {
        totals.audioBytes += Number(stat.bytesReceived ?? 0);
      }
    });
  }
  return totals;
})()`;

async function expectAttribute(page: Page, testId: string, name: string, value: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await page.getByTestId(testId).getAttribute(name)) !== value) {
    if (Date.now() > deadline) throw new Error(`${testId} never had ${name}=${value}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SELECTED_CANDIDATES = `(async () => {
  const types = [];
  for (const connection of window.__peerConnections ?? []) {
    if (connection.connectionState === 'closed') continue;
    const report = await connection.getStats();
    report.forEach((stat) => {
      if (stat.type !== 'transport' || !stat.selectedCandidatePairId) return;
      const pair = report.get(stat.selectedCandidatePairId);
      const local = pair && report.get(pair.localCandidateId);
      if (local) types.push(local.candidateType);
    });
  }
  return types;
})()`;

/**
 * The real classroom page (the built Vue client) opened with a join session,
 * as a launch leaves it, and the media it receives read from its peer
 * connections' statistics, whatever the page's layout.
 */
export class ClassroomPage {
  private constructor(readonly page: Page) {}

  /** The page of someone with a join token of an in-process Aula, valid for an hour. */
  static async openAs(
    context: BrowserContext,
    aula: AulaInstance & { url: string },
    classroomId: string,
    who: { id: string; name: string; role: 'teacher' | 'student' },
  ): Promise<ClassroomPage> {
    return ClassroomPage.open(context, aula.url, {
      token: await tokenFor(aula, classroomId, who),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      classroomId,
      role: who.role,
      name: who.name,
    });
  }

  static async open(context: BrowserContext, aulaUrl: string, session: PageSession): Promise<ClassroomPage> {
    const page = await context.newPage();
    // Browser-side code as text: the server's TypeScript project has no DOM types.
    await page.addInitScript({
      content: `
        sessionStorage.setItem(${JSON.stringify(`aula.session.${session.classroomId}`)}, ${JSON.stringify(JSON.stringify(session))});
        // Every peer connection stays reachable for the test's statistics.
        const Original = window.RTCPeerConnection;
        const all = [];
        window.__peerConnections = all;
        window.RTCPeerConnection = class extends Original {
          constructor(...args) { super(...args); all.push(this); }
        };`,
    });
    await page.goto(`${aulaUrl}/classroom/${session.classroomId}`);
    return new ClassroomPage(page);
  }

  /** Through the pre-join check into the lesson (or its waiting room), with camera and microphone as asked. */
  async join(options: { camera?: boolean; mic?: boolean } = {}): Promise<void> {
    await this.page.getByTestId('join').waitFor({ timeout: 30_000 });
    for (const [device, on] of [
      ['camera', options.camera],
      ['mic', options.mic],
    ] as const) {
      if (!on) continue;
      const toggle = this.page.getByTestId(`prejoin-${device}`);
      await toggle.click();
      await expectAttribute(this.page, `prejoin-${device}`, 'aria-pressed', 'true');
    }
    await this.page.getByTestId('join').click();
  }

  async isReconnecting(): Promise<boolean> {
    return (await this.page.getByTestId('reconnecting').count()) > 0;
  }

  async isInLesson(): Promise<boolean> {
    return (
      (await this.page.getByTestId('leave').count()) > 0 &&
      (await this.page.getByTestId('lobby-wait').count()) === 0
    );
  }

  async inLobby(): Promise<boolean> {
    return (await this.page.getByTestId('lobby-wait').count()) > 0;
  }

  /** How each live peer connection reaches the server: `host`, `srflx`, `prflx` or `relay` (TURN). */
  async selectedCandidateTypes(): Promise<string[]> {
    return (await this.page.evaluate(SELECTED_CANDIDATES)) as string[];
  }

  async received(): Promise<ReceivedMedia> {
    return (await this.page.evaluate(RECEIVED_MEDIA)) as ReceivedMedia;
  }

  /** Resolves when the page decodes new frames from `streams` video senders and receives audio. */
  async receivesMedia(options: {
    videoStreams: number;
    audio: boolean;
    timeoutMs?: number;
  }): Promise<number> {
    const started = Date.now();
    const before = await this.received();
    const deadline = started + (options.timeoutMs ?? 20_000);
    let last = before;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await this.received();
      const freshVideo = now.videoFrames > last.videoFrames && now.videoStreams >= options.videoStreams;
      const freshAudio = !options.audio || now.audioBytes > last.audioBytes;
      if (freshVideo && freshAudio && now.videoFrames - before.videoFrames > 10) return Date.now() - started;
      last = now;
    }
    throw new Error(
      `no fresh media (${options.videoStreams} video, audio ${options.audio}) within ${options.timeoutMs ?? 20_000} ms: ${JSON.stringify(last)}`,
    );
  }
}

/** A person on the classroom page in a browser context of their own, with a join session minted for them. */
export async function openClassroomAs(
  users: ContextBrowser,
  aula: AulaInstance,
  classroomId: string,
  who: { id: string; name: string; role: 'teacher' | 'student' },
): Promise<ClassroomPage> {
  return ClassroomPage.open(await users.newUser(), aula.url, {
    token: await tokenFor(aula, classroomId, who),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    classroomId,
    role: who.role,
    name: who.name,
  });
}
