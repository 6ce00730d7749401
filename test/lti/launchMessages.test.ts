import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanDisplayName, displayNameSchema } from '../../src/classroom/displayName.js';
import { LtiBrowser, registerDynamically, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('what a launch tells people and the log', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform({}, { logs }));
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  it('cleans names from the LMS by the same rule as guest names', async () => {
    const forged = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'forger',
      name: '\u202eevil\nTeacher\u2066',
      roles: [INSTRUCTOR],
      resourceLinkId: 'names',
    });
    expect(forged.name).toBe('evil Teacher');
    const long = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'long',
      name: `  ${'Maximiliane '.repeat(10)}`,
      roles: [LEARNER],
      resourceLinkId: 'names',
    });
    expect(displayNameSchema.safeParse(long.name).success).toBe(true);
    expect(long.name).toMatch(/^Maximiliane Maximiliane/);
    const invisible = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'invisible',
      name: '\u202e\u0007\n',
      roles: [LEARNER],
      resourceLinkId: 'names',
    });
    expect(invisible.name).toMatch(/^Participant [0-9a-f]{4}$/);

    // The roster's names appear next to the launches' ones: the same rule.
    platform.memberships.push({ user_id: 'roster-1', name: 'Ada\u202e\r\nLovelace', roles: [LEARNER] });
    const roster = await request(aula.url)
      .get(`/api/classrooms/${forged.classroomId}/roster`)
      .set('Authorization', `Bearer ${forged.token}`);
    expect(roster.status).toBe(200);
    expect(roster.body.members).toContainEqual(expect.objectContaining({ name: 'Ada Lovelace' }));
  });

  it('keeps every cleaned name within the guest rule', () => {
    for (const raw of ['\u202eevil\nTeacher', 'x'.repeat(59) + '😀', ' \t a\u0000b ', 'ok']) {
      expect(displayNameSchema.safeParse(cleanDisplayName(raw)).success).toBe(true);
    }
    expect(cleanDisplayName('\u2067\u0000')).toBeUndefined();
  });

  it('says a login without client_id is ambiguous when the issuer is registered twice', async () => {
    const firstClient = platform.clientId;
    expect((await registerDynamically(aula, platform)).status).toBe(200);
    expect(platform.clientId).not.toBe(firstClient);
    const browser = new LtiBrowser(aula.url, platform);
    const ambiguous = await browser.login(platform.defineLaunch({ roles: [LEARNER] }), { client_id: '' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.html).toContain('more than once');
    expect(ambiguous.html).not.toContain('not registered');
    expect((await browser.login(platform.defineLaunch({ roles: [LEARNER] }))).status).toBe(200);
  });

  it('names the issuer and the client id when it logs an unknown platform', async () => {
    const response = await new LtiBrowser(aula.url, platform).login('hint', {
      iss: 'https://unknown-lms.example',
      client_id: 'who-is-this',
    });
    expect(response.status).toBe(400);
    const line = logs.find((entry) => entry.includes('"reason":"unregistered platform"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      issuer: 'https://unknown-lms.example',
      clientId: 'who-is-this',
    });
  });

  it('explains a launch that plain http and a cross-site post cut off from its cookie', async () => {
    const browser = new LtiBrowser(aula.url, platform);
    const login = await browser.login(platform.defineLaunch({ roles: [LEARNER] }));
    const { id_token: idToken, state } = await browser.authorize(login.authUrl!);
    // The platform's auto-submitted form, arriving from the LMS's site: SameSite=Lax keeps the cookie back.
    const crossSite = await request(aula.url)
      .post('/lti/launch')
      .type('form')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ id_token: idToken, state });
    expect(crossSite.status).toBe(401);
    expect(crossSite.text).toContain('HTTPS');
    expect(crossSite.text).toContain('AULA_PUBLIC_URL');
    expect(crossSite.text).not.toContain('blocked the sign-in');
    // Without the cross-site signal the page keeps its general advice.
    const other = await request(aula.url).post('/lti/launch').type('form').send({ id_token: idToken, state });
    expect(other.status).toBe(401);
    expect(other.text).toContain('blocked the sign-in');
  });

  it('warns at start when AULA_PUBLIC_URL is plain http beyond this machine', async () => {
    expect(logs.some((line) => line.includes('is plain http'))).toBe(false);
    const remoteLogs: string[] = [];
    const remote = await startTestAula(
      { AULA_PUBLIC_URL: 'http://aula.school.test', MONGODB_URI: aula.mongoUri },
      { logs: remoteLogs },
    );
    try {
      const warning = remoteLogs.find((line) => line.includes('is plain http'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
      expect(warning).toContain('HTTPS');
    } finally {
      await remote.close();
    }
  });
});
