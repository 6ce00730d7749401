import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Debian's `pocketsphinx-en-us` (kept in step with captions/pocketSphinxEngine.ts). */
const POCKETSPHINX_DEBIAN_MODEL = '/usr/share/pocketsphinx/model/en-us';

/**
 * Automatic captions: off unless the operator names an engine. Vosk needs a
 * model directory; PocketSphinx uses Debian's English model unless given one.
 */
export const captionsEnvironment = {
  AULA_CAPTIONS_ENGINE: z.enum(['off', 'vosk', 'pocketsphinx']).default('off'),
  AULA_CAPTIONS_MODEL_DIR: z.string().min(1).optional(),
  /** The model's language, shown to pages (PocketSphinx's Debian model is English). */
  AULA_CAPTIONS_LANGUAGE: z.enum(['en', 'de']).default('en'),
  AULA_CAPTIONS_FFMPEG: z.string().min(1).default('ffmpeg'),
  /** The Python that has the `vosk` package (the Vosk engine's sidecar). */
  AULA_CAPTIONS_PYTHON: z.string().min(1).default('python3'),
  /** Transcripts a teacher chose to keep, counted from the lesson's captions. */
  AULA_RETENTION_CAPTIONS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
};

type CaptionsEnvironment = z.infer<z.ZodObject<typeof captionsEnvironment>>;

/** The model directory the engine will read, checked to exist now rather than at the first lesson. */
export function checkCaptionsEnvironment(env: CaptionsEnvironment, ctx: z.RefinementCtx): void {
  const engine = env.AULA_CAPTIONS_ENGINE;
  if (engine === 'off') return;
  const modelDir =
    env.AULA_CAPTIONS_MODEL_DIR ?? (engine === 'pocketsphinx' ? POCKETSPHINX_DEBIAN_MODEL : '');
  const at = ['AULA_CAPTIONS_MODEL_DIR'];
  if (!modelDir) {
    ctx.addIssue({ code: 'custom', path: at, message: 'is required with AULA_CAPTIONS_ENGINE=vosk' });
    return;
  }
  if (!fs.existsSync(modelDir) || !fs.statSync(modelDir).isDirectory()) {
    ctx.addIssue({ code: 'custom', path: at, message: `${modelDir} is not a directory` });
    return;
  }
  const expected = engine === 'vosk' ? 'am' : 'en-us';
  if (!fs.existsSync(path.join(modelDir, expected))) {
    ctx.addIssue({
      code: 'custom',
      path: at,
      message: `${modelDir} has no "${expected}" folder: not a ${engine} model`,
    });
  }
  if (engine === 'pocketsphinx' && env.AULA_CAPTIONS_LANGUAGE !== 'en') {
    ctx.addIssue({
      code: 'custom',
      path: ['AULA_CAPTIONS_LANGUAGE'],
      message: 'PocketSphinx captions here are English only; use Vosk with a German model for German',
    });
  }
}
