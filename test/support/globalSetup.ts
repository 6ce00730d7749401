import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../src/shared/logger.js';
import { startLocalDatabase, type LocalDatabaseServer } from '../../src/store/localDatabaseServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let server: LocalDatabaseServer | undefined;
let dataDir: string | undefined;

/** One MongoDB-protocol server for the run, started by the same launcher `npm start` uses. */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI.replace(/\/[^/?]*(\?.*)?$/, ''));
    return;
  }
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-test-db-'));
  server = await startLocalDatabase({
    dataDir,
    ferretdbBin: process.env.AULA_FERRETDB_BIN,
    logger: createLogger({ level: 'warn' }),
  });
  project.provide('mongoUri', server.uri);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
