// What the page and the frame cipher's worker say to each other.
// With its extension: the Node side (benchmarks, tests) reads these types too.
import type { FrameKind } from './frameFormat.js';

export interface TransformOptions {
  operation: 'encrypt' | 'decrypt';
  kind: FrameKind;
}

export interface CipherStats {
  encrypted: number;
  decrypted: number;
  /** Frames dropped: no key yet to seal with, or a received one that did not authenticate. */
  dropped: number;
  /** Of those, received frames of an epoch we hold no key for. */
  droppedUnknownKey: number;
  /** The epoch frames are sealed with now. */
  epoch?: number;
  /** Each open receiver: the newest epoch it plays, and since when (wall-clock ms). */
  receivers?: Array<Omit<ReceiverState, 'gap'>>;
}

/** One receiver in the worker: the newest epoch it plays and since when; `gap` while it waits for a keyframe. */
export interface ReceiverState {
  kind: FrameKind;
  epoch: number;
  since: number;
  /** When its last frame arrived: a paused receiver gets none. */
  arrived: number;
  gap: boolean;
}

export type ToWorker =
  | { type: 'key'; epoch: number; secret: Uint8Array<ArrayBuffer> }
  | {
      type: 'streams';
      readable: ReadableStream<{ data: ArrayBuffer }>;
      writable: WritableStream<{ data: ArrayBuffer }>;
      options: TransformOptions;
    }
  | { type: 'stats'; id: number }
  | { type: 'forget' };

export type FromWorker =
  { type: 'keyTaken'; epoch: number } | { type: 'stats'; id: number; stats: CipherStats };
