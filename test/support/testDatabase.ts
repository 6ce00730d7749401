import crypto from 'node:crypto';
import { inject } from 'vitest';

/** A throwaway database on the run's server, one per test file. */
export function testDatabaseUri(label = 'file'): string {
  const name = `aula_test_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${crypto.randomBytes(4).toString('hex')}`;
  return `${inject('mongoUri')}/${name}`;
}

export { dropDatabase } from './dropDatabase.js';
