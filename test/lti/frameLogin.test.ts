import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attribute, LtiBrowser, registerDynamically } from '../support/ltiBrowser.js';
import { PlatformSimulator } from '../support/platformSimulator.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

// Aula as deployed: an https address in front of it. Requests reach it over plain
// http here, so the client never sends back a cookie marked Secure: a browser
// inside the LMS's frame that keeps Aula's cookies back.
const PUBLIC_URL = 'https://aula.school.example';

function unescape(value: string | undefined): string {
  return (value ?? '').replace(/&amp;/g, '&');
}

describe('a login inside the LMS frame', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  let browser: LtiBrowser;

  beforeAll(async () => {
    aula = await startTestAula({ AULA_PUBLIC_URL: PUBLIC_URL });
    platform = await PlatformSimulator.start();
    expect((await registerDynamically(aula, platform)).status).toBe(200);
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  beforeEach(() => {
    browser = new LtiBrowser(aula.url, platform);
  });

  const login = (hint: string, extra: Record<string, string> = {}) =>
    browser.login(hint, { target_link_uri: `${PUBLIC_URL}/lti/launch`, ...extra });

  it('sets its login cookies partitioned, so a browser blocking third-party cookies keeps them for the course page', async () => {
    const response = await browser.agent.get('/lti/login').query({
      iss: platform.issuer,
      login_hint: platform.defineLaunch({}),
      target_link_uri: `${PUBLIC_URL}/lti/launch`,
      client_id: platform.clientId,
    });
    expect(response.status).toBe(200);
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; SameSite=None/);
      expect(cookie).toMatch(/; Partitioned/);
    }
  });

  it('offers the Storage Access API, the hop and a new window, and logs in again once with access', async () => {
    const page = await login(platform.defineLaunch({}));
    expect(page.status).toBe(200);
    for (const id of ['aula-storage-access', 'aula-allow', 'aula-hop', 'aula-hop-link', 'aula-blocked']) {
      expect(page.html).toContain(`id="${id}"`);
    }
    const withAccess = new URL(attribute(page.html, 'with-access-url')!);
    expect(withAccess.origin + withAccess.pathname).toBe(`${PUBLIC_URL}/lti/login`);
    expect(withAccess.searchParams.get('aula_storage_access')).toBe('1');
    expect(withAccess.searchParams.get('login_hint')).toBeTruthy();
    const newWindow = new URL(unescape(/id="aula-new-window" href="([^"]+)"/.exec(page.html)?.[1]));
    expect(newWindow.searchParams.has('aula_storage_access')).toBe(false);
    // The login again with access says so, and the page asks only once.
    const again = await browser.agent.get(withAccess.pathname + withAccess.search);
    expect(again.status).toBe(200);
    expect(attribute(again.text, 'access-tried')).toBe('1');
    expect(attribute(page.html, 'access-tried')).toBeUndefined();
  });

  it('answers a launch that lost its cookie with one storage-access attempt, then refuses it', async () => {
    const page = await login(platform.defineLaunch({ sub: 'framed-student' }));
    const { id_token: idToken, state } = await browser.authorize(page.authUrl!);
    const first = await browser.postLaunch(idToken, state);
    expect(first.status).toBe(200);
    expect(first.text).toContain('launch-access.js');
    expect(first.text).toContain('name="aula_storage_access" value="1"');
    expect(first.text).toContain(`value="${state}"`);
    const second = await browser.agent
      .post('/lti/launch')
      .type('form')
      .send({ id_token: idToken, state, aula_storage_access: '1' });
    expect(second.status).toBe(401);
    expect(second.text).toContain('blocked the sign-in');
  });

  it('serves the hop page in the language asked for, with one button back to the course', async () => {
    const german = await request(aula.url).get('/lti/storage-access').query({ lang: 'de' });
    expect(german.status).toBe(200);
    expect(german.text).toContain('lang="de"');
    expect(german.text).toContain('id="aula-back"');
    expect(german.text).toContain('storage-hop.js');
    expect(String(german.headers['content-security-policy'])).toContain("script-src 'self'");
    const script = await request(aula.url).get('/lti/assets/storage-hop.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('history.back()');
    const english = await request(aula.url).get('/lti/storage-access').set('Accept-Language', 'en');
    expect(english.text).toContain('Back to your course');
  });
});
