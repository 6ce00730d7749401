/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The classroom page (the built Vue client) driven the same way in Chromium
// (Playwright) and Firefox (puppeteer over WebDriver BiDi): everything goes
// through page.evaluate, which both drivers have, so one test reads the same
// for both browsers.

/** What both drivers' pages have. */
export interface DrivenPage {
  goto(url: string): Promise<unknown>;
  /** A real click (trusted input), as a person's: browsers allow some things only then. */
  click(selector: string): Promise<void>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  bringToFront(): Promise<void>;
  close(): Promise<void>;
}

export interface TileState {
  name: string;
  large: boolean;
  width: number;
  videoHeight: number;
  /** The video element's clock moved: frames are being played. */
  playing: boolean;
}

/** Records every RTCPeerConnection the page creates, so the test can read what arrives. */
export function recordPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const all: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = all;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      all.push(this);
    }
  };
}

export class LessonPage {
  readonly errors: string[] = [];

  constructor(
    readonly page: DrivenPage,
    readonly browser: 'chromium' | 'firefox',
    readonly name: string,
  ) {}

  /** Opens a classroom as someone the join token names, as a launch would leave the tab. */
  async open(aulaUrl: string, session: { token: string; classroomId: string; role: string }): Promise<void> {
    await this.page.goto(`${aulaUrl}/`);
    await this.page.evaluate(
      (s) =>
        sessionStorage.setItem(
          `aula.session.${s.classroomId}`,
          JSON.stringify({ ...s, expiresAt: Math.floor(Date.now() / 1000) + 600 }),
        ),
      { ...session, name: this.name },
    );
    await this.page.goto(`${aulaUrl}/classroom/${session.classroomId}`);
  }

  /** Clicks a control; Firefox lets only the tab in front capture, so it comes to the front first. */
  async click(testId: string): Promise<void> {
    await this.page.bringToFront();
    await this.waitFor(testId);
    await this.page.click(`[data-testid="${testId}"]`);
  }

  async fill(testId: string, text: string): Promise<void> {
    await this.waitFor(testId);
    await this.page.evaluate(
      ([id, value]) => {
        const input = document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
        input.value = value!;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      [testId, text],
    );
  }

  attribute(testId: string, name: string): Promise<string | null> {
    return this.page.evaluate(
      ([id, attr]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute(attr!) ?? null,
      [testId, name],
    );
  }

  text(testId: string): Promise<string> {
    return this.page.evaluate(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '',
      testId,
    );
  }

  /**
   * Senders and receivers carrying media, and how many of them have the
   * frame cipher (an RTCRtpScriptTransform) as their transform. The
   * probator receives only the SFU's bandwidth-probing padding: no frames.
   */
  cipheredEnds(): Promise<{ ends: number; ciphered: number }> {
    return this.page.evaluate(() => {
      const ends: Array<RTCRtpSender | RTCRtpReceiver> = [];
      const all = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
      for (const connection of all) {
        if (connection.connectionState === 'closed') continue;
        for (const transceiver of connection.getTransceivers()) {
          if (transceiver.mid === 'probator') continue;
          const direction = transceiver.currentDirection ?? '';
          if (transceiver.sender.track && (direction === 'sendonly' || direction === 'sendrecv'))
            ends.push(transceiver.sender);
          if (direction === 'recvonly' || direction === 'sendrecv') ends.push(transceiver.receiver);
        }
      }
      const ciphered = ends.filter((end) => end.transform instanceof RTCRtpScriptTransform).length;
      return { ends: ends.length, ciphered };
    }, undefined);
  }

  /** Text of every element with this test id (several notices, say). */
  texts(testId: string): Promise<string[]> {
    return this.page.evaluate(
      (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent ?? ''),
      testId,
    );
  }

  async waitFor(testId: string, timeoutMs = 20_000): Promise<void> {
    await this.until(
      async () => (await this.attribute(testId, 'data-testid')) !== null,
      `[${testId}]`,
      timeoutMs,
    );
  }

  /** Options of a select (the device lists). */
  options(selector: string): Promise<string[]> {
    return this.page.evaluate(
      (s) => [...document.querySelectorAll(`${s} option`)].map((o) => o.textContent?.trim() ?? ''),
      selector,
    );
  }

  /** The tiles the page shows, each with its size and whether its video plays. */
  async tiles(): Promise<TileState[]> {
    const read = () =>
      this.page.evaluate(
        () =>
          [...document.querySelectorAll('[data-testid=tile]')].map((tile) => {
            const video = tile.querySelector('video');
            return {
              name: tile.querySelector('.name')?.textContent?.trim() ?? '',
              large: tile.classList.contains('large'),
              width: Math.round(tile.getBoundingClientRect().width),
              videoHeight: video?.videoHeight ?? 0,
              time: video && !video.classList.contains('mirror') ? video.currentTime : 0,
            };
          }),
        undefined,
      );
    const before = await read();
    await new Promise((resolve) => setTimeout(resolve, 400));
    return (await read()).map(({ time, ...tile }) => ({
      ...tile,
      playing: time > (before.find((b) => b.name === tile.name)?.time ?? 0),
    }));
  }

  /** Totals over every incoming stream of the page's peer connections. */
  received(): Promise<{ audioPackets: number; audioStreams: number; videoFrames: number }> {
    return this.page.evaluate(async () => {
      const totals = { audioPackets: 0, audioStreams: 0, videoFrames: 0 };
      const pcs = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type !== 'inbound-rtp') return;
          if (stat.kind === 'audio' && Number(stat.packetsReceived) > 0) {
            totals.audioStreams += 1;
            totals.audioPackets += Number(stat.packetsReceived);
          }
          if (stat.kind === 'video') totals.videoFrames += Number(stat.framesDecoded ?? 0);
        });
      }
      return totals;
    }, undefined);
  }

  /** Bytes each simulcast layer (by rid) of the page's outgoing video has sent. */
  sentVideoLayers(): Promise<Record<string, number>> {
    return this.page.evaluate(async () => {
      const layers: Record<string, number> = {};
      const pcs = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((stat: Record<string, unknown>) => {
          if (stat.type === 'outbound-rtp' && stat.kind === 'video') {
            const rid = String(stat.rid ?? 'single');
            layers[rid] = (layers[rid] ?? 0) + Number(stat.bytesSent ?? 0);
          }
        });
      }
      return layers;
    }, undefined);
  }

  /** Whether a shared screen is on the page and playing. */
  async showsScreen(): Promise<boolean> {
    const time = () =>
      this.page.evaluate(
        () =>
          (document.querySelector('[data-testid=screen-share]') as HTMLVideoElement | null)?.currentTime ?? 0,
        undefined,
      );
    const before = await time();
    await new Promise((resolve) => setTimeout(resolve, 400));
    return (await time()) > before;
  }

  async until(
    check: () => Promise<boolean>,
    what: string | (() => string),
    timeoutMs = 20_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) {
        const description = typeof what === 'string' ? what : what();
        const notices = await this.texts('notice').catch(() => []);
        throw new Error(
          `${this.name} (${this.browser}): timed out waiting for ${description}; notices: ${JSON.stringify(notices)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
