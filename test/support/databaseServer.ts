import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/shared/logger.js';
import { startLocalDatabase } from '../../src/store/localDatabaseServer.js';

export interface DatabaseServer {
  /** Server address without a database name: callers add one per test file or benchmark. */
  baseUri: string;
  /** The local server's process (none for MONGODB_URI). */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * The MongoDB-protocol server tests and benchmarks use: MONGODB_URI's server
 * if set, else a local one started by the same launcher `npm start` uses.
 */
export async function startDatabaseServer(): Promise<DatabaseServer> {
  if (process.env.MONGODB_URI) {
    return { baseUri: process.env.MONGODB_URI.replace(/\/[^/?]*(\?.*)?$/, ''), stop: async () => undefined };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-test-db-'));
  const server = await startLocalDatabase({
    dataDir,
    ferretdbBin: process.env.AULA_FERRETDB_BIN,
    logger: createLogger({ level: 'warn' }),
  });
  return {
    baseUri: server.uri,
    pid: server.pid,
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
