// What the page and the frame cipher's worker say to each other.
import type { FrameKind } from './frameFormat';

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
