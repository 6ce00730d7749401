import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { inject } from 'vitest';

/** A throwaway database on the run's server, one per test file. */
export function testDatabaseUri(label = 'file'): string {
  const name = `aula_test_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${crypto.randomBytes(4).toString('hex')}`;
  return `${inject('mongoUri')}/${name}`;
}

export async function dropDatabase(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}
