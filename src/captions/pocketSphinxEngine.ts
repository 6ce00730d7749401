import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import { ProcessRecognizer } from './ProcessRecognizer.js';
import { PCM_SAMPLE_RATE, type Recognizer, type SpeechEngine } from './speechEngine.js';

/** Debian's `pocketsphinx-en-us`: the acoustic model, language model and dictionary under one folder. */
export const DEBIAN_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';

/**
 * CMU PocketSphinx through Debian's `pocketsphinx_continuous`: raw PCM from
 * standard input, one line per utterance once its voice activity detection
 * hears the speaker pause. English only; small, no download, modest accuracy.
 */
export class PocketSphinxEngine implements SpeechEngine {
  readonly name = 'pocketsphinx';
  readonly language = 'en';

  constructor(
    private readonly options: { modelDir: string; command?: string },
    private readonly logger: Logger,
  ) {}

  open(): Recognizer {
    const model = this.options.modelDir;
    return new ProcessRecognizer(
      {
        // Node gives a child a socket, not a pipe, as its standard input, and the engine's fopen of
        // /dev/stdin cannot open a socket: `cat` passes the audio on through a real pipe.
        command: 'sh',
        args: [
          '-c',
          'cat | "$0" "$@"',
          this.options.command ?? 'pocketsphinx_continuous',
          '-infile',
          '/dev/stdin',
          '-samprate',
          String(PCM_SAMPLE_RATE),
          '-hmm',
          path.join(model, 'en-us'),
          '-lm',
          path.join(model, 'en-us.lm.bin'),
          '-dict',
          path.join(model, 'cmudict-en-us.dict'),
          '-logfn',
          '/dev/null',
        ],
        // Every line it prints is a finished utterance.
        parse: (line) => ({ text: line.trim(), final: true }),
      },
      this.logger,
    );
  }
}
