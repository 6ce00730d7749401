import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../shared/logger.js';
import { AudioTap } from './AudioTap.js';
import {
  PCM_BYTES_PER_SECOND,
  type RecognizedText,
  type Recognizer,
  type SpeechEngine,
} from './speechEngine.js';

/**
 * After this long without audio the sender has stopped sending (Opus DTX, a mute): packets come every
 * 20 ms while it speaks, so a gap of several packets is not jitter.
 */
const QUIET_AFTER_MS = 120;
const SILENCE_TICK_MS = 40;
/**
 * Silence the engine hears at once when the sender goes quiet: enough for its voice activity detection
 * to end the utterance now rather than after that much wall-clock time. Nothing more until audio comes
 * again; the engine's clock runs ahead of the wall clock, which no engine minds.
 */
const SILENCE_BURST_MS = 1_000;
/** Unbroken audio that makes a burst due: more than Opus DTX's lone comfort-noise packet every 400 ms. */
const SPEECH_BYTES = (PCM_BYTES_PER_SECOND * 100) / 1000;
const SILENCE_BURST = Buffer.alloc((PCM_BYTES_PER_SECOND * SILENCE_BURST_MS) / 1000);

type SpeakerStreamEvents = {
  text: [recognized: RecognizedText];
  closed: [];
};

/**
 * One speaker's microphone being captioned: the audio tap feeding a
 * recogniser. Closes itself when the producer, ffmpeg or the engine goes.
 */
export class SpeakerStream extends EventEmitter<SpeakerStreamEvents> {
  private closed = false;
  private lastAudioAt = Date.now();
  /** Bytes of the current unbroken run of audio. */
  private runBytes = 0;
  /** The sender spoke since the last silence burst. */
  private burstDue = false;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly tap: AudioTap,
    private readonly recognizer: Recognizer,
  ) {
    super();
    tap.on('pcm', (chunk) => {
      const now = Date.now();
      this.runBytes = (now - this.lastAudioAt < QUIET_AFTER_MS ? this.runBytes : 0) + chunk.length;
      if (this.runBytes >= SPEECH_BYTES) this.burstDue = true;
      this.lastAudioAt = now;
      recognizer.write(chunk);
    });
    // A sender that mutes sends no packets at all: the engine would wait for the utterance's end forever.
    this.ticker = setInterval(() => {
      if (!this.burstDue || Date.now() - this.lastAudioAt < QUIET_AFTER_MS) return;
      this.burstDue = false;
      recognizer.write(SILENCE_BURST);
    }, SILENCE_TICK_MS);
    this.ticker.unref();
    recognizer.on('text', (recognized) => this.emit('text', recognized));
    tap.once('closed', () => this.close());
    recognizer.once('closed', () => {
      this.close();
      this.emit('closed');
    });
  }

  get producerId(): string {
    return this.tap.producerId;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    this.tap.close();
    // The recogniser says its last words (an utterance cut short), then `closed` follows.
    this.recognizer.close();
  }
}

/**
 * Automatic captions as the classroom uses them: one engine, and a stream
 * per captioned microphone. What is heard is never written anywhere here.
 */
export class SpeechCaptioning {
  constructor(
    readonly engine: SpeechEngine,
    private readonly options: { ffmpegPath: string; logger: Logger },
  ) {}

  async open(router: types.Router, producerId: string): Promise<SpeakerStream> {
    const tap = await AudioTap.open({
      router,
      producerId,
      ffmpegPath: this.options.ffmpegPath,
      logger: this.options.logger,
    });
    return new SpeakerStream(tap, this.engine.open());
  }
}
