import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/createApp.js';
import { createLogger } from '../../src/shared/logger.js';

const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-client-'));
afterAll(() => fs.rmSync(clientDir, { recursive: true, force: true }));

describe('the client’s pages', () => {
  it('are served from the index.html read at start, not read from disk per request', async () => {
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Aula as built</title>');
    const app = createApp({
      logger: createLogger({ level: 'silent' }),
      trustProxy: false,
      readiness: async () => ({ ready: true, checks: {} }),
      platformOrigins: () => [],
      clientDir,
      features: [],
    });
    const first = await request(app).get('/admin').expect(200);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.text).toContain('Aula as built');

    // A later build (or a cleaned dist/) does not change what this process serves.
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Changed on disk</title>');
    expect((await request(app).get('/classroom/c1').expect(200)).text).toContain('Aula as built');
    fs.rmSync(path.join(clientDir, 'index.html'));
    expect((await request(app).get('/').expect(200)).text).toContain('Aula as built');
  });
});
