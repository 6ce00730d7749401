import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('captions configuration', () => {
  it('keeps automatic captions off unless an engine is named', () => {
    expect(loadConfig({})).toMatchObject({ AULA_CAPTIONS_ENGINE: 'off', AULA_RETENTION_CAPTIONS_DAYS: 30 });
    expect(problems({ AULA_CAPTIONS_ENGINE: 'whisper' })[0]).toMatch(/^AULA_CAPTIONS_ENGINE:/);
  });

  it('needs a Vosk model directory that exists and looks like one', () => {
    expect(problems({ AULA_CAPTIONS_ENGINE: 'vosk' })).toEqual([
      'AULA_CAPTIONS_MODEL_DIR: is required with AULA_CAPTIONS_ENGINE=vosk',
    ]);
    expect(
      problems({ AULA_CAPTIONS_ENGINE: 'vosk', AULA_CAPTIONS_MODEL_DIR: '/nonexistent/model' })[0],
    ).toMatch(/is not a directory/);
    const model = fs.mkdtempSync(path.join(os.tmpdir(), 'vosk-model-'));
    expect(problems({ AULA_CAPTIONS_ENGINE: 'vosk', AULA_CAPTIONS_MODEL_DIR: model })[0]).toMatch(
      /no "am" folder: not a vosk model/,
    );
    fs.mkdirSync(path.join(model, 'am'));
    expect(
      loadConfig({
        AULA_CAPTIONS_ENGINE: 'vosk',
        AULA_CAPTIONS_MODEL_DIR: model,
        AULA_CAPTIONS_LANGUAGE: 'de',
      }),
    ).toMatchObject({ AULA_CAPTIONS_ENGINE: 'vosk', AULA_CAPTIONS_LANGUAGE: 'de' });
    fs.rmSync(model, { recursive: true });
  });

  it.skipIf(!fs.existsSync('/usr/share/pocketsphinx/model/en-us'))(
    "uses Debian's English PocketSphinx model, and refuses German for it",
    () => {
      expect(loadConfig({ AULA_CAPTIONS_ENGINE: 'pocketsphinx' }).AULA_CAPTIONS_MODEL_DIR).toBeUndefined();
      expect(problems({ AULA_CAPTIONS_ENGINE: 'pocketsphinx', AULA_CAPTIONS_LANGUAGE: 'de' })[0]).toMatch(
        /^AULA_CAPTIONS_LANGUAGE: PocketSphinx captions here are English only/,
      );
    },
  );
});
