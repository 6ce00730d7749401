import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../client/src/locales/en.json';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.(vue|ts)$/.test(entry.name) ? [full] : [];
  });
}

function lookup(key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en);
}

describe('every message the client uses exists', () => {
  it('has a translation for each literal t() key and notice key', () => {
    const missing: string[] = [];
    for (const file of files(path.resolve('client/src'))) {
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\b(?:t|te)\(\s*'([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)) {
        if (typeof lookup(match[1]!) !== 'string') missing.push(`${path.basename(file)}: ${match[1]}`);
      }
      for (const match of source.matchAll(/(?:key|label): '([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)) {
        if (typeof lookup(match[1]!) !== 'string') missing.push(`${path.basename(file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
