import type { Logger } from '../shared/logger.js';
import { DEBIAN_POCKETSPHINX_MODEL, PocketSphinxEngine } from './pocketSphinxEngine.js';
import { SpeechCaptioning } from './SpeechCaptioning.js';
import type { SpeechEngine } from './speechEngine.js';
import { VoskEngine } from './voskEngine.js';

export interface SpeechCaptioningOptions {
  engine: 'off' | 'vosk' | 'pocketsphinx';
  modelDir?: string;
  language: string;
  ffmpegPath: string;
  python: string;
}

/** The operator's engine for automatic captions, or none (the default): captions are then typed only. */
export function createSpeechCaptioning(
  options: SpeechCaptioningOptions,
  logger: Logger,
): SpeechCaptioning | undefined {
  const log = logger.child({ engine: options.engine });
  let engine: SpeechEngine;
  switch (options.engine) {
    case 'off':
      return undefined;
    case 'pocketsphinx':
      engine = new PocketSphinxEngine({ modelDir: options.modelDir ?? DEBIAN_POCKETSPHINX_MODEL }, log);
      break;
    case 'vosk':
      if (!options.modelDir) throw new Error('Vosk captions need a model directory');
      engine = new VoskEngine(
        { modelDir: options.modelDir, language: options.language, python: options.python },
        log,
      );
      break;
  }
  log.info({ language: engine.language }, 'createSpeechCaptioning() | automatic captions on');
  return new SpeechCaptioning(engine, { ffmpegPath: options.ffmpegPath, logger: log });
}
