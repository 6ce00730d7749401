import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformUrlSchema } from '../../src/lti/urlRules.js';
import { registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator } from '../support/platformSimulator.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('who may register an LMS', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  const admin = () => ({ Authorization: `Bearer ${aula.adminToken.value}` });
  const registeredPlatforms = () => aula.database.models.platforms.countDocuments();

  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  /** What a stranger (or a leaked old link) sends: the LMS's parameters on some registration path. */
  const registerAt = (path: string, simulator: PlatformSimulator) =>
    request(aula.url)
      .get(path)
      .query({
        openid_configuration: `${simulator.url}/.well-known/openid-configuration`,
        registration_token: simulator.registrationToken,
      });

  it('registers nobody and fetches nothing without the registration secret', async () => {
    platform = await PlatformSimulator.start();
    for (const path of ['/lti/register', '/lti/register/guessed-secret-123456789']) {
      const response = await registerAt(path, platform);
      expect(response.status).toBe(403);
      expect(response.text).toContain('/admin');
    }
    expect(platform.configurationRequests).toBe(0);
    expect(platform.registrations).toHaveLength(0);
    expect(await registeredPlatforms()).toBe(0);
  });

  it('shows the URL with its secret to the admin, uses the secret up, and lets the admin replace it', async () => {
    const overview = await request(aula.url).get('/api/admin/overview').set(admin());
    const shown = overview.body.urls.registration as string;
    expect(shown).toMatch(new RegExp(`^${aula.url}/lti/register/[\\w-]{20,}$`));
    expect(shown).toBe(await aula.lti.registrationUrl());

    expect((await registerDynamically(aula, platform)).status).toBe(200);
    expect(await registeredPlatforms()).toBe(1);
    // The same link a second time (another LMS, or someone who saw it) registers nobody.
    const again = await PlatformSimulator.start();
    try {
      expect((await registerAt(new URL(shown).pathname, again)).status).toBe(403);
      expect(again.configurationRequests).toBe(0);
    } finally {
      await again.close();
    }

    const before = await aula.lti.registrationUrl();
    expect(before).not.toBe(shown);
    const rotated = await request(aula.url).post('/api/admin/registration/rotate').set(admin());
    expect(rotated.status).toBe(200);
    expect(rotated.body.registration).not.toBe(before);
    expect(rotated.body.registration).toBe(await aula.lti.registrationUrl());
    expect((await request(aula.url).post('/api/admin/registration/rotate')).status).toBe(401);
  });

  it("refuses a configuration whose issuer is not its URL's origin", async () => {
    const impostor = await PlatformSimulator.start();
    try {
      const port = new URL(impostor.url).port;
      // The same text prefix, another port: another origin.
      impostor.configurationIssuer = `http://127.0.0.1:${port.slice(0, 1)}`;
      const response = await registerDynamically(aula, impostor);
      expect(response.status).toBe(400);
      expect(response.text).toContain('origin');
      // A configuration on another host claiming a shorter issuer ("moodle.school.example.evil.net").
      impostor.configurationIssuer = 'http://127.0.0.1';
      expect((await registerDynamically(aula, impostor)).status).toBe(400);
      expect(impostor.registrations).toHaveLength(0);
      expect(await registeredPlatforms()).toBe(1);
    } finally {
      await impostor.close();
    }
  });

  it('accepts only https URLs from the admin, and plain http only on this machine', async () => {
    const manual = (issuer: string, endpoint = 'https://moodle.school.example/mod/lti/auth.php') => ({
      issuer,
      clientId: `client-${Math.random().toString(36).slice(2)}`,
      name: 'School Moodle',
      authenticationEndpoint: endpoint,
      accessTokenEndpoint: 'https://moodle.school.example/mod/lti/token.php',
      keysetUrl: 'https://moodle.school.example/mod/lti/certs.php',
    });
    const post = (body: object) => request(aula.url).post('/api/admin/platforms').set(admin()).send(body);
    for (const [bad, reason] of [
      [manual('javascript:alert(1)'), /https/],
      [manual('http://moodle.school.example'), /https/],
      [manual('https://moodle.school.example', 'javascript:alert(1)'), /https/],
      [manual('https://moodle.school.example?x=1'), /query/],
      [manual('https://admin:secret@moodle.school.example'), /password/],
    ] as const) {
      const response = await post(bad);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.error)).toMatch(reason);
    }
    expect((await post(manual('https://moodle.school.example'))).status).toBe(201);
    expect((await post(manual('http://127.0.0.1:8080', 'http://localhost:8080/auth'))).status).toBe(201);
  });

  it('takes plain http beyond this machine only with the explicit development setting', () => {
    expect(platformUrlSchema(false).safeParse('http://moodle.test/auth').success).toBe(false);
    expect(platformUrlSchema(true).safeParse('http://moodle.test/auth').success).toBe(true);
    expect(platformUrlSchema(true).safeParse('ftp://moodle.test/auth').success).toBe(false);
  });
});
