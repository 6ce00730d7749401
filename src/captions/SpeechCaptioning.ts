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

/** After this long without audio (a muted or silent sender), the engine hears silence instead. */
const QUIET_AFTER_MS = 300;
const SILENCE_TICK_MS = 100;
/** Enough silence for any engine to end the utterance; then nothing until audio comes again. */
const SILENCE_MAX_MS = 2_000;
const SILENCE_CHUNK = Buffer.alloc((PCM_BYTES_PER_SECOND * SILENCE_TICK_MS) / 1000);

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
  private silenceSentMs = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly tap: AudioTap,
    private readonly recognizer: Recognizer,
  ) {
    super();
    tap.on('pcm', (chunk) => {
      this.lastAudioAt = Date.now();
      this.silenceSentMs = 0;
      recognizer.write(chunk);
    });
    // A sender that mutes sends no packets at all: the engine would wait for the utterance's end forever.
    this.ticker = setInterval(() => {
      if (Date.now() - this.lastAudioAt < QUIET_AFTER_MS || this.silenceSentMs >= SILENCE_MAX_MS) return;
      this.silenceSentMs += SILENCE_TICK_MS;
      recognizer.write(SILENCE_CHUNK);
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
