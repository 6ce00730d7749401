import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('an Aula started without AULA_PUBLIC_URL', () => {
  let aula: TestAula;
  beforeAll(async () => {
    // The test harness sets AULA_PUBLIC_URL; an empty value counts as unset.
    aula = await startTestAula({ AULA_PUBLIC_URL: '' });
  });
  afterAll(() => aula?.stop());

  it('hands out addresses on the host and port it serves, on /admin and in the LTI configuration', async () => {
    const served = `http://127.0.0.1:${aula.port}`;
    expect(aula.publicUrl).toBe(served);
    expect(aula.lti.urls.launch).toBe(`${served}/lti/launch`);
    const { body } = await request(aula.url)
      .get('/api/admin/overview')
      .set('Authorization', `Bearer ${aula.adminToken.value}`)
      .expect(200);
    expect(body.urls.registration).toMatch(new RegExp(`^${served}/lti/register/[\\w-]{20,}$`));
    expect(body.urls.keyset).toBe(`${served}/lti/keys`);
    expect(body.publicUrlDerived).toBe(true);
    const keyset = await fetch(body.urls.keyset);
    expect(keyset.status).toBe(200);
  });
});
