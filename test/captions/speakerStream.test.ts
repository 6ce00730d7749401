import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AudioTap } from '../../src/captions/AudioTap.js';
import { SpeakerStream } from '../../src/captions/SpeechCaptioning.js';
import { PCM_BYTES_PER_SECOND, type RecognizerEvents } from '../../src/captions/speechEngine.js';

/** 20 ms of audio, as ffmpeg passes on one Opus packet. */
const PACKET = Buffer.alloc((PCM_BYTES_PER_SECOND * 20) / 1000, 1);

class HeardAudio extends EventEmitter<RecognizerEvents> {
  readonly chunks: Buffer[] = [];
  write(pcm: Buffer): void {
    this.chunks.push(pcm);
  }
  close(): void {}
  /** Milliseconds of silence heard after the last sound. */
  silenceMs(): number {
    const last = this.chunks.findLastIndex((chunk) => chunk.some((byte) => byte !== 0));
    const bytes = this.chunks.slice(last + 1).reduce((sum, chunk) => sum + chunk.length, 0);
    return (bytes / PCM_BYTES_PER_SECOND) * 1000;
  }
}

function speakerStream() {
  const tap = Object.assign(new EventEmitter(), { producerId: 'mic', close: () => undefined });
  const engine = new HeardAudio();
  const stream = new SpeakerStream(tap as unknown as AudioTap, engine);
  return { tap, engine, stream };
}

/** The sender speaks for `ms`, one packet every 20 ms. */
function speak(tap: EventEmitter, ms: number): void {
  for (let at = 0; at < ms; at += 20) {
    tap.emit('pcm', PACKET);
    vi.advanceTimersByTime(20);
  }
}

describe('speaker stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the engine a second of silence at once when the sender goes quiet (Opus DTX)', () => {
    const { tap, engine, stream } = speakerStream();
    speak(tap, 1_000);
    vi.advanceTimersByTime(200);
    // The engine's voice activity detection ends the utterance now, not after a second of wall clock.
    expect(engine.silenceMs()).toBeGreaterThanOrEqual(1_000);
    stream.close();
  });

  it('sends no more silence for the comfort-noise packets of a quiet sender, and again after speech', () => {
    const { tap, engine, stream } = speakerStream();
    speak(tap, 1_000);
    vi.advanceTimersByTime(200);
    const afterFirstBurst = engine.chunks.length;
    for (let packet = 0; packet < 5; packet++) {
      tap.emit('pcm', PACKET);
      vi.advanceTimersByTime(400);
    }
    expect(engine.chunks.length).toBe(afterFirstBurst + 5);
    speak(tap, 500);
    vi.advanceTimersByTime(200);
    expect(engine.silenceMs()).toBeGreaterThanOrEqual(1_000);
    stream.close();
  });

  it('sends no silence to a sender that has not spoken', () => {
    const { engine, stream } = speakerStream();
    vi.advanceTimersByTime(5_000);
    expect(engine.chunks).toHaveLength(0);
    stream.close();
  });
});
