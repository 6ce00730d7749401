// Runs inside headless Chromium: the classroom page's media core without the
// Vue UI, driven by the tests through page.evaluate().
import type { JoinResult, MediaSourceName, RequestName } from '@protocol';
import { RoomConnection } from '../../../client/src/media/RoomConnection';
import { RequestError, SignalingClient } from '../../../client/src/signaling/SignalingClient';

let signaling: SignalingClient | undefined;
let connection: RoomConnection | undefined;
const events: Array<{ name: string; payload: unknown }> = [];
const videos = new Map<string, HTMLMediaElement>();
const transportStates: Array<{ direction: string; state: string }> = [];

function render(consumerId: string, track: MediaStreamTrack): void {
  if (videos.has(consumerId)) return;
  // Chromium decodes only tracks that have a sink.
  const element = document.createElement(track.kind === 'video' ? 'video' : 'audio');
  element.autoplay = true;
  element.muted = true;
  element.srcObject = new MediaStream([track]);
  document.body.append(element);
  videos.set(consumerId, element);
}

let mediaReady: Promise<void> = Promise.resolve();
/** Milliseconds since the last join() began at which each of its steps ended. */
let joinSteps: Record<string, number> = {};

/** Encrypted lessons: harnessE2eeEntry.ts, in pages the test opened for them. */
interface HarnessE2ee {
  listen(signaling: SignalingClient): void;
  enter(signaling: SignalingClient, connection: RoomConnection, result: JoinResult): Promise<void>;
  stats(): Promise<unknown>;
  close(): void;
}
declare const window: Window & { harnessE2ee?: HarnessE2ee };

function enterMedia(result: JoinResult): Promise<void> {
  if (result.status !== 'joined') return Promise.resolve();
  mediaReady = (async () => {
    if (result.room.endToEndEncryption) {
      if (!window.harnessE2ee) throw new Error('an encrypted lesson needs the page opened for one');
      await window.harnessE2ee.enter(signaling!, connection!, result);
    }
    await connection!.start(result.media);
  })();
  return mediaReady;
}

const harness = {
  async join(url: string, token: string): Promise<JoinResult> {
    const began = performance.now();
    const step = (name: string) => (joinSteps[name] = performance.now() - began);
    joinSteps = {};
    signaling = new SignalingClient(url, token);
    await signaling.connected();
    step('socketConnected');
    connection = new RoomConnection(signaling);
    connection.on('trackAdded', (track) => render(track.consumerId, track.track));
    connection.on('trackRemoved', (consumerId) => {
      videos.get(consumerId)?.remove();
      videos.delete(consumerId);
    });
    connection.on('transportState', (direction, state) => transportStates.push({ direction, state }));
    window.harnessE2ee?.listen(signaling);
    for (const name of [
      'removed',
      'lesson:started',
      'lobby:admitted',
      'media:reconnect',
      'consumerLayers',
      'recording:failed',
    ]) {
      signaling.on(name as 'removed', (payload) => {
        events.push({ name, payload });
        if (name === 'lesson:started' || name === 'lobby:admitted') void enterMedia(payload as never);
      });
    }
    connection.on('trackAdded', () => joinSteps.consumerCreated ?? step('consumerCreated'));
    const result = await signaling.request('join');
    step('joined');
    await enterMedia(result);
    step('mediaReady');
    return result;
  },

  /** Milliseconds from the join request to the first decoded remote video frame. */
  async timeToFirstFrame(url: string, token: string): Promise<number> {
    const started = performance.now();
    await harness.join(url, token);
    for (;;) {
      const stats = await connection!.inboundStats();
      if (stats.some((s) => s.kind === 'video' && s.framesDecoded > 0)) {
        joinSteps.firstFrame = performance.now() - started;
        return joinSteps.firstFrame;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },

  /** A fake camera (Chromium's test pattern) at the given size. */
  async camera(width = 640, height = 360): Promise<void> {
    await mediaReady;
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height, frameRate: 20 } });
    await connection!.publish('camera', stream.getVideoTracks()[0]!);
  },

  async mic(): Promise<void> {
    await mediaReady;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    await connection!.publish('mic', stream.getAudioTracks()[0]!);
  },

  /** A painted canvas stands in for a screen: the server cannot tell, which is the point. */
  async publishCanvas(source: MediaSourceName): Promise<{ ok: boolean; code?: string }> {
    await mediaReady;
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const context = canvas.getContext('2d')!;
    setInterval(() => {
      context.fillStyle = `hsl(${Date.now() % 360}, 70%, 50%)`;
      context.fillRect(0, 0, 1280, 720);
    }, 50);
    try {
      await connection!.publish(source, canvas.captureStream(10).getVideoTracks()[0]!);
      return { ok: true };
    } catch (error) {
      return { ok: false, code: error instanceof RequestError ? error.code : String(error) };
    }
  },

  /** What the microphone button does: mute or unmute a source. */
  setPaused(source: MediaSourceName, paused: boolean) {
    return connection!.setPaused(source, paused);
  },

  setVisibleTiles(visible: string[], focus: string | null) {
    return connection!.setVisibleTiles(visible, focus);
  },

  async request(
    name: RequestName,
    payload: unknown,
  ): Promise<{ ok: boolean; data?: unknown; code?: string }> {
    try {
      return { ok: true, data: await signaling!.request(name, payload as never) };
    } catch (error) {
      return { ok: false, code: error instanceof RequestError ? error.code : String(error) };
    }
  },

  /** The frame cipher's counters and each receiver's epoch; null in a lesson that is not encrypted. */
  cipherStats: () => window.harnessE2ee?.stats() ?? Promise.resolve(null),
  inbound: () => connection!.inboundStats(),
  outbound: () => connection!.outboundStats(),
  remote: () => connection!.remoteTracks().map(({ track: _track, ...info }) => info),
  events: () => events,
  joinSteps: () => joinSteps,
  transportStates: () => transportStates,
  connectionState: () => signaling?.connectionState ?? 'closed',
  close(): void {
    connection?.close();
    signaling?.close();
    window.harnessE2ee?.close();
  },
};

(window as unknown as { harness: typeof harness }).harness = harness;
