import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/shared/freePort.js';
import { createLogger } from '../../src/shared/logger.js';
import { startLocalDatabase, type LocalDatabaseServer } from '../../src/store/localDatabaseServer.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

describe('readiness follows the database', () => {
  const logger = createLogger({ level: 'silent' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-readiness-'));
  let port: number;
  let database: LocalDatabaseServer | undefined;
  let aula: TestAula;

  beforeAll(async () => {
    port = await freePort();
    database = await startLocalDatabase({
      dataDir,
      port,
      ferretdbBin: process.env.AULA_FERRETDB_BIN,
      logger,
    });
    aula = await startTestAula({ MONGODB_URI: `${database.uri}/aula_readiness` });
  });
  afterAll(async () => {
    await aula?.stop();
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns false when the database goes away and true when it returns', async () => {
    expect((await request(aula.url).get('/readyz')).status).toBe(200);

    await database!.stop();
    const down = await waitFor(
      async () => {
        const response = await request(aula.url).get('/readyz');
        return response.status === 503 ? response : undefined;
      },
      { what: 'readiness to turn false' },
    );
    expect(down.body.checks).toEqual({ database: false, mediaWorkers: true });

    database = await startLocalDatabase({
      dataDir,
      port,
      ferretdbBin: process.env.AULA_FERRETDB_BIN,
      logger,
    });
    await waitFor(async () => (await request(aula.url).get('/readyz')).status === 200, {
      timeoutMs: 40_000,
      what: 'readiness to return',
    });
  });
});
