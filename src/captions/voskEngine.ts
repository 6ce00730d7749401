import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import { ProcessRecognizer } from './ProcessRecognizer.js';
import type { Recognizer, SpeechEngine } from './speechEngine.js';
import { VOSK_SIDECAR } from './voskSidecar.js';

const sidecarLine = z.object({ text: z.string(), final: z.boolean() });

/**
 * Vosk (Kaldi) through a small Python sidecar that uses the `vosk` package
 * from PyPI: the operator installs it and gives a model directory
 * (AULA_CAPTIONS_MODEL_DIR, a German or English model from alphacephei);
 * nothing is downloaded at run time. Sends the words of an utterance as they
 * are heard, then the final line.
 */
export class VoskEngine implements SpeechEngine {
  readonly name = 'vosk';

  constructor(
    private readonly options: { modelDir: string; language: string; python: string },
    private readonly logger: Logger,
  ) {}

  get language(): string {
    return this.options.language;
  }

  open(): Recognizer {
    return new ProcessRecognizer(
      {
        command: this.options.python,
        args: ['-c', VOSK_SIDECAR, this.options.modelDir],
        parse: (line) => {
          try {
            const parsed = sidecarLine.safeParse(JSON.parse(line));
            return parsed.success ? parsed.data : undefined;
          } catch {
            return undefined;
          }
        },
      },
      this.logger,
    );
  }
}
