// The page's side of the frame cipher: one worker for every sender and
// receiver of the lesson, each attached with RTCRtpScriptTransform, or with
// encoded streams where the browser only has those (then the peer connection
// must be created with `encodedInsertableStreams`).
import type { FrameKind } from './frameFormat';
import type { CipherStats, FromWorker, ToWorker, TransformOptions } from './workerMessages';

type Endpoint = RTCRtpSender | RTCRtpReceiver;

interface EncodedStreams {
  readable: ReadableStream<{ data: ArrayBuffer }>;
  writable: WritableStream<{ data: ArrayBuffer }>;
}

/** How this browser can encrypt frames, if at all. */
export type FrameCipherSupport = 'script-transform' | 'encoded-streams' | null;

export function frameCipherSupport(): FrameCipherSupport {
  if (typeof RTCRtpScriptTransform !== 'undefined') return 'script-transform';
  if (typeof RTCRtpSender !== 'undefined' && 'createEncodedStreams' in RTCRtpSender.prototype)
    return 'encoded-streams';
  return null;
}

export class FrameCipher {
  private readonly worker: Worker;
  private readonly support: FrameCipherSupport;
  private nextStatsId = 1;
  private readonly pendingStats = new Map<number, (stats: CipherStats) => void>();
  private readonly keyWaiters = new Map<number, Array<() => void>>();

  /** `worker`: the frame worker made elsewhere (a test page that loads it from a bundle of its own). */
  constructor(worker?: Worker) {
    this.support = frameCipherSupport();
    if (!this.support) throw new Error('This browser cannot encrypt media frames');
    this.worker =
      worker ??
      new Worker(new URL('./frameWorker.ts', import.meta.url), {
        type: 'module',
        name: 'aula-e2ee',
      });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === 'stats') {
        this.pendingStats.get(message.id)?.(message.stats);
        this.pendingStats.delete(message.id);
      } else {
        for (const resolve of this.keyWaiters.get(message.epoch) ?? []) resolve();
        this.keyWaiters.delete(message.epoch);
      }
    };
  }

  /** The peer connection settings the cipher needs: encoded streams must be asked for up front. */
  get peerConnectionSettings(): Partial<RTCConfiguration> {
    return this.support === 'encoded-streams'
      ? ({ encodedInsertableStreams: true } as Partial<RTCConfiguration>)
      : {};
  }

  encryptWith(sender: RTCRtpSender, kind: FrameKind): void {
    this.attach(sender, { operation: 'encrypt', kind });
  }

  decryptWith(receiver: RTCRtpReceiver, kind: FrameKind): void {
    this.attach(receiver, { operation: 'decrypt', kind });
  }

  /** Frames are sealed with this epoch's key from when the worker took it. */
  setKey(epoch: number, secret: Uint8Array<ArrayBuffer>): Promise<void> {
    const taken = new Promise<void>((resolve) => {
      this.keyWaiters.set(epoch, [...(this.keyWaiters.get(epoch) ?? []), resolve]);
    });
    this.post({ type: 'key', epoch, secret: secret.slice() });
    return taken;
  }

  stats(): Promise<CipherStats> {
    const id = this.nextStatsId++;
    return new Promise((resolve) => {
      this.pendingStats.set(id, resolve);
      this.post({ type: 'stats', id });
    });
  }

  /**
   * Another room (a breakout group, back to the main room): the last room's
   * keys go, and nothing is sent until the new room's key is taken.
   */
  forgetKeys(): void {
    this.post({ type: 'forget' });
  }

  close(): void {
    this.forgetKeys();
    this.worker.terminate();
  }

  private attach(endpoint: Endpoint, options: TransformOptions): void {
    if (this.support === 'script-transform') {
      endpoint.transform = new RTCRtpScriptTransform(this.worker, options);
      return;
    }
    const streams = (
      endpoint as Endpoint & { createEncodedStreams(): EncodedStreams }
    ).createEncodedStreams();
    this.worker.postMessage({ type: 'streams', ...streams, options } satisfies ToWorker, [
      streams.readable as unknown as Transferable,
      streams.writable as unknown as Transferable,
    ]);
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
