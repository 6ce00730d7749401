import type { EventEmitter } from 'node:events';

/** What a speech engine hears: 16 kHz, mono, signed 16-bit little-endian PCM. */
export const PCM_SAMPLE_RATE = 16_000;
export const PCM_BYTES_PER_SECOND = PCM_SAMPLE_RATE * 2;

/** Words an engine recognised: the words of an utterance so far, or the utterance once it ended. */
export interface RecognizedText {
  text: string;
  final: boolean;
}

export type RecognizerEvents = {
  text: [recognized: RecognizedText];
  /** The engine stopped (it exited, or `close()` was called); it hears nothing more. */
  closed: [];
};

/** One stream of speech being recognised (one speaker's microphone). */
export interface Recognizer extends EventEmitter<RecognizerEvents> {
  /** More audio; dropped while the engine falls behind (captions are live, never late). */
  write(pcm: Buffer): void;
  /** Stops recognising: what was said so far is recognised as a last, final line. Idempotent. */
  close(): void;
}

/** A speech-to-text engine: the one interface automatic captions use, whatever runs behind it. */
export interface SpeechEngine {
  readonly name: string;
  /** The language it recognises, as the page shows it (en, de). */
  readonly language: string;
  open(): Recognizer;
}
