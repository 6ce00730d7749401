import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecognizedText } from '../../src/captions/speechEngine.js';
import { VoskEngine } from '../../src/captions/voskEngine.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitFor } from '../support/testAula.js';

/**
 * A stand-in for Python with the sidecar (no Vosk model is on this machine):
 * it takes the same arguments, waits for a tenth of a second of audio, and
 * answers in the sidecar's line protocol, with one line that is not JSON.
 */
function fakePython(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-python-'));
  const file = path.join(dir, 'python3');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      '[ "$1" = "-c" ] || exit 3',
      'head -c 3200 > /dev/null',
      'echo \'{"text": "guten", "final": false}\'',
      'echo "LOG (VoskAPI) not a recognition"',
      'printf \'{"text": "guten morgen %s", "final": true}\\n\' "$(basename "$3")"',
      'cat > /dev/null',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

describe('the Vosk engine', () => {
  it("reads the sidecar's partial and final lines, skips anything else, and ends when closed", async () => {
    const engine = new VoskEngine(
      { modelDir: '/models/vosk-model-small-de', language: 'de', python: fakePython() },
      createLogger({ level: 'silent' }),
    );
    expect(engine.language).toBe('de');
    const recognizer = engine.open();
    const heard: RecognizedText[] = [];
    recognizer.on('text', (text) => heard.push(text));
    recognizer.write(Buffer.alloc(3200));
    await waitFor(() => heard.length === 2, { what: 'two recognitions' });
    expect(heard).toEqual([
      { text: 'guten', final: false },
      { text: 'guten morgen vosk-model-small-de', final: true },
    ]);
    const closed = new Promise<void>((resolve) => recognizer.once('closed', () => resolve()));
    recognizer.close();
    await closed;
  });
});
