import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import type { TestAula } from '../support/testAula.js';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const LIMIT = 30;

describe('logins a stranger can start', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform({ AULA_LOGIN_RATE_PER_MINUTE: String(LIMIT) }, { logs }));
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  /** Every document in Aula's database: a login must add none. */
  async function documents(): Promise<number> {
    const collections = await aula.database.connection.db!.listCollections().toArray();
    const counts = await Promise.all(
      collections.map((c) => aula.database.connection.collection(c.name).countDocuments()),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  // Not behind a proxy (AULA_TRUST_PROXY is off): every request here comes from 127.0.0.1.
  const login = () =>
    request(aula.url)
      .get('/lti/login')
      .query({
        iss: platform.issuer,
        login_hint: 'anyone',
        target_link_uri: `${aula.url}/lti/launch`,
        client_id: platform.clientId,
      });

  it('stores nothing for a login, however many are started', async () => {
    const before = await documents();
    const answers = await Promise.all(Array.from({ length: LIMIT - 1 }, () => login()));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await documents()).toBe(before);
    // The last login this minute still leads to a working launch.
    const handoff = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'teacher',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
    });
    expect(handoff.role).toBe('teacher');
  });

  it('answers logins beyond the limit of an address with 429, and logs that once', async () => {
    const burst = await Promise.all(Array.from({ length: 50 }, () => login()));
    expect(burst.map((answer) => answer.status)).toEqual(Array(50).fill(429));
    expect(burst[0]!.headers['retry-after']).toMatch(/^\d+$/);
    expect(burst[0]!.text).toContain('wait a minute');
    const browser = new LtiBrowser(aula.url, platform);
    expect((await browser.login(platform.defineLaunch({ roles: [LEARNER] }))).status).toBe(429);
    expect(logs.filter((line) => line.includes('login() | rate limit reached'))).toHaveLength(1);
    expect(logs.filter((line) => /"level":50/.test(line))).toEqual([]);
  });
});
