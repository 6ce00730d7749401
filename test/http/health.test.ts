import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

const METRICS_TOKEN = 'scraper-token-0123456789abcdef';

describe('health, readiness and metrics', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula({ AULA_METRICS_TOKEN: METRICS_TOKEN });
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

  it('exposes worker and process gauges to a scraper with the metrics token', async () => {
    const response = await request(aula.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^aula_media_workers_alive 1$/m);
    expect(response.text).toMatch(/^aula_media_worker_cpu_seconds\{worker="0"\} [0-9.e-]+$/m);
    expect(response.text).toMatch(/^aula_media_worker_rss_bytes\{worker="0"\} [1-9][0-9]*$/m);
    expect(response.text).toMatch(/^aula_process_resident_memory_bytes [1-9]/m);
  });

  it('refuses metrics to a stranger with a bearer challenge', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abc', `Basic ${METRICS_TOKEN}`]) {
      const scrape = request(aula.url).get('/metrics').set('Accept', 'application/json');
      const response = await (authorization ? scrape.set('Authorization', authorization) : scrape);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(response.body.error.code).toBe('METRICS_TOKEN_REQUIRED');
      expect(response.text).not.toContain('aula_');
    }
  });

  it('exposes no version strings', async () => {
    const response = await request(aula.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.text).not.toMatch(/version/i);
    expect(response.text).not.toContain(process.version);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(aula.url).get('/api/nothing-here').set('Accept', 'application/json');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('sends a strict content security policy', async () => {
    const response = await request(aula.url).get('/healthz');
    expect(response.status).toBe(200);
    expect(String(response.headers['content-security-policy'])).toContain("default-src 'self'");
    const page = await request(aula.url).get('/');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  });
});

describe('metrics on a listener of their own', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula({ AULA_METRICS_PORT: '0' });
  });
  afterAll(async () => {
    await aula?.stop();
  });

  it('serves metrics there and not on the public port', async () => {
    expect(aula.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const scrape = await request(aula.metricsUrl!).get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.text).toMatch(/^aula_media_workers_alive 1$/m);
    expect(scrape.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(aula.url).get('/metrics')).status).toBe(404);
  });

  it('serves nothing else there', async () => {
    expect((await request(aula.metricsUrl!).get('/healthz')).status).toBe(404);
    expect((await request(aula.metricsUrl!).get('/api/admin/platforms')).status).toBe(404);
  });
});

describe('metrics without a token or a listener', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await aula?.stop();
  });

  it('keeps metrics off the public port', async () => {
    const response = await request(aula.url).get('/metrics');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('aula_');
  });
});
