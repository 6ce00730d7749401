import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { suiteAula } from '../support/suiteAula.js';
import type { TestAula } from '../support/testAula.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('security headers', () => {
  let aula: TestAula;
  suiteAula((started) => (aula = started), { AULA_METRICS_TOKEN: METRICS_TOKEN });

  function expectSecurityHeaders(response: request.Response, what: string) {
    const headers = response.headers;
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(String(headers['content-security-policy']), what).toContain("default-src 'self'");
    expect(String(headers['content-security-policy']), what).toContain('frame-ancestors');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['x-powered-by'], what).toBeUndefined();
  }

  it('sends them on the monitoring endpoints', async () => {
    expectSecurityHeaders(await request(aula.url).get('/healthz'), '/healthz');
    expectSecurityHeaders(await request(aula.url).get('/readyz'), '/readyz');
    expectSecurityHeaders(
      await request(aula.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`),
      '/metrics',
    );
    expectSecurityHeaders(await request(aula.url).get('/metrics'), '/metrics without a token');
  });

  it('sends them on not-found and error answers', async () => {
    expectSecurityHeaders(
      await request(aula.url).get('/api/nothing-here').set('Accept', 'application/json'),
      'JSON 404',
    );
    expectSecurityHeaders(
      await request(aula.url).get('/nothing-here').set('Accept', 'text/html'),
      'HTML 404',
    );
    expectSecurityHeaders(
      await request(aula.url)
        .post('/api/guest/join')
        .set('Content-Type', 'application/json')
        .send('{"link":'),
      'malformed body',
    );
  });

  it('sends them on the LTI pages, assets and keyset', async () => {
    expectSecurityHeaders(
      await request(aula.url).get('/lti/login').set('Accept', 'text/html'),
      'login error page',
    );
    expectSecurityHeaders(await request(aula.url).get('/lti/assets/login.js'), 'login script');
    expectSecurityHeaders(await request(aula.url).get('/lti/keys'), 'keyset');
  });

  it('sends them on the signalling handshake', async () => {
    const response = await request(aula.url).get('/socket.io/?EIO=4&transport=polling');
    expect(response.status).toBe(200);
    expectSecurityHeaders(response, 'socket.io polling handshake');
  });
});
