/// <reference lib="webworker" />
// The frame cipher's worker: every encoded frame the page sends is sealed
// here and every one it receives is opened here, off the main thread. It gets
// the frames through RTCRtpScriptTransform (the `rtctransform` event), or
// through encoded streams posted to it where only those exist (Chromium's
// older `createEncodedStreams`). Frames that cannot be sealed (no key yet) or
// opened (wrong key, altered, not encrypted) are dropped, never passed on.
import { decryptFrame, encryptFrame, frameEpochByte, type FrameKind } from './frameFormat';
import { frameKey, ratchet } from './keySchedule';
import type { CipherStats, ReceiverState, ToWorker, TransformOptions } from './workerMessages';

declare const self: DedicatedWorkerGlobalScope & {
  onrtctransform: ((event: Event & { transformer: TransformerLike }) => void) | null;
};

interface TransformerLike {
  readable: ReadableStream<EncodedFrame>;
  writable: WritableStream<EncodedFrame>;
  options: TransformOptions;
}

interface EncodedFrame {
  data: ArrayBuffer;
  /** Video frames say whether they are keyframes. */
  type?: string;
}

interface EpochKey {
  epoch: number;
  secret: Uint8Array<ArrayBuffer>;
  key: CryptoKey;
}

/** Keys of the last few epochs stay, for frames still under way when the key changed. */
const KEPT_EPOCHS = 4;
const keys = new Map<number, EpochKey>();
let sendEpoch = 0;
const stats: CipherStats = { encrypted: 0, decrypted: 0, dropped: 0, droppedUnknownKey: 0 };
/** Each open receiver: the newest epoch it plays again, and since when (what a key change costs). */
const receivers = new Set<ReceiverState>();

async function takeKey(epoch: number, secret: Uint8Array<ArrayBuffer>): Promise<EpochKey> {
  const entry = { epoch, secret, key: await frameKey(secret) };
  keys.set(epoch & 0xff, entry);
  // The newest key the page gave is the one frames are sealed with (a new group may count anew).
  sendEpoch = epoch;
  const epochs = [...keys.values()].map((each) => each.epoch).sort((a, b) => b - a);
  for (const old of epochs.slice(KEPT_EPOCHS)) keys.delete(old & 0xff);
  return entry;
}

/** A frame from the epoch after the newest we hold: someone joined and the sender ratcheted first. */
async function keyFor(byte: number): Promise<EpochKey | undefined> {
  const known = keys.get(byte);
  if (known) return known;
  const newest = keys.get(sendEpoch & 0xff);
  if (!newest || ((newest.epoch + 1) & 0xff) !== byte) return undefined;
  const next = await ratchet(newest.secret);
  const entry = { epoch: newest.epoch + 1, secret: next, key: await frameKey(next) };
  keys.set(byte, entry);
  return entry;
}

/**
 * A receiver plays an epoch from its first frame the decoder can use: the
 * first one, or after frames were dropped (no key yet) the first keyframe.
 */
function played(receiver: ReceiverState, epoch: number, usable: boolean): void {
  if (usable) receiver.gap = false;
  if (receiver.gap || epoch <= receiver.epoch) return;
  receiver.epoch = epoch;
  receiver.since = Date.now();
}

function transform(operation: TransformOptions['operation'], kind: FrameKind, receiver: ReceiverState) {
  return new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const data = new Uint8Array(frame.data);
      if (operation === 'encrypt') {
        const current = keys.get(sendEpoch & 0xff);
        if (!current) {
          stats.dropped += 1;
          return;
        }
        frame.data = (await encryptFrame(kind, data, current.key, current.epoch)).buffer;
        stats.encrypted += 1;
        controller.enqueue(frame);
        return;
      }
      receiver.arrived = Date.now();
      const byte = frameEpochByte(data);
      const entry = byte === undefined ? undefined : await keyFor(byte);
      if (!entry) {
        stats.dropped += 1;
        stats.droppedUnknownKey += 1;
        receiver.gap = true;
        return;
      }
      const opened = await decryptFrame(kind, data, entry.key, entry.epoch);
      if (!opened) {
        stats.dropped += 1;
        receiver.gap = true;
        return;
      }
      frame.data = opened.buffer;
      stats.decrypted += 1;
      played(receiver, entry.epoch, kind === 'audio' || frame.type === 'key');
      controller.enqueue(frame);
    },
  });
}

function pipe(
  readable: ReadableStream<EncodedFrame>,
  writable: WritableStream<EncodedFrame>,
  options: TransformOptions,
): void {
  const receiver: ReceiverState = { kind: options.kind, epoch: 0, since: 0, arrived: 0, gap: true };
  if (options.operation === 'decrypt') receivers.add(receiver);
  // A stream ends when its sender or receiver closes; that is no error to report.
  readable
    .pipeThrough(transform(options.operation, options.kind, receiver))
    .pipeTo(writable)
    .catch(() => undefined)
    .finally(() => receivers.delete(receiver));
}

self.onrtctransform = (event) => {
  const { readable, writable, options } = event.transformer;
  pipe(readable, writable, options);
};

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'key':
      void takeKey(message.epoch, message.secret).then(() =>
        self.postMessage({ type: 'keyTaken', epoch: message.epoch }),
      );
      break;
    case 'streams':
      pipe(message.readable, message.writable, message.options);
      break;
    case 'stats':
      self.postMessage({
        type: 'stats',
        id: message.id,
        stats: {
          ...stats,
          epoch: sendEpoch,
          receivers: [...receivers].map(({ gap: _gap, ...receiver }) => receiver),
        },
      });
      break;
    case 'forget':
      keys.clear();
      sendEpoch = 0;
      break;
  }
};
