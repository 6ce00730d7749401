import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('health, readiness and metrics', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await aula?.stop();
  });

  it('answers liveness', async () => {
    const response = await request(aula.url).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('is ready when the database answers and a media worker runs', async () => {
    const response = await request(aula.url).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ready: true, checks: { database: true, mediaWorkers: true } });
  });

  it('exposes worker and process gauges for Prometheus', async () => {
    const response = await request(aula.url).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^aula_media_workers_alive 1$/m);
    expect(response.text).toMatch(/^aula_media_worker_cpu_seconds\{worker="0"\} [0-9.e-]+$/m);
    expect(response.text).toMatch(/^aula_media_worker_rss_bytes\{worker="0"\} [1-9][0-9]*$/m);
    expect(response.text).toMatch(/^aula_process_resident_memory_bytes [1-9]/m);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(aula.url).get('/api/nothing-here').set('Accept', 'application/json');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('sends a strict content security policy', async () => {
    const response = await request(aula.url).get('/healthz');
    const policy = String(response.headers['content-security-policy'] ?? '');
    expect(response.status).toBe(200);
    expect(policy === '' || policy.includes("default-src 'self'")).toBe(true);
    const page = await request(aula.url).get('/');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });
});
