import { SignJWT, exportSPKI, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtiBrowser, startWithPlatform } from '../support/ltiBrowser.js';
import type { PlatformSimulator } from '../support/platformSimulator.js';
import { type LaunchSpec } from '../support/platformSimulator.js';
import type { TestAula } from '../support/testAula.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

function unsigned(header: object, claims: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(claims)}.`;
}

describe('launch validation (the checks of the LTI 1.3 security framework)', () => {
  let aula: TestAula;
  let platform: PlatformSimulator;
  let classroomLink: Record<string, string>;

  beforeAll(async () => {
    ({ aula, platform } = await startWithPlatform());
    // A teacher's first launch sets up the classroom the other launches go to.
    const teacher = await new LtiBrowser(aula.url, platform).enterClassroom({
      sub: 'teacher',
      roles: [INSTRUCTOR],
    });
    classroomLink = { aula_classroom: teacher.classroomId };
  });
  afterAll(async () => {
    await platform?.close();
    await aula?.stop();
  });

  /** What ltijs and Aula store for a launch: none of it may grow for a rejected one. */
  async function storedLaunchState(): Promise<number[]> {
    const connection = aula.database.connection;
    return Promise.all([
      connection.collection('idtokens').countDocuments(),
      connection.collection('contexttokens').countDocuments(),
      connection.collection('nonces').countDocuments(),
      aula.database.models.nonces.countDocuments(),
      aula.database.models.tickets.countDocuments({ kind: 'launch' }),
    ]);
  }

  async function expectRejected(spec: LaunchSpec, status?: number) {
    const before = await storedLaunchState();
    const response = await new LtiBrowser(aula.url, platform).launch({ custom: classroomLink, ...spec });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    if (status) expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toMatch(/Aula/);
    expect(await storedLaunchState()).toEqual(before);
    return response;
  }

  const remove =
    (...claims: string[]) =>
    (payload: Record<string, unknown>) => {
      for (const claim of claims) delete payload[claim];
    };

  it('rejects an id_token without kid, or with a kid the platform does not have', async () => {
    await expectRejected({
      sign: (claims) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(platform.currentKey.privateKey),
    });
    await expectRejected({
      sign: (claims) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'no-such-key' })
          .sign(platform.currentKey.privateKey),
    });
  });

  it('rejects a wrong or missing LTI version', async () => {
    await expectRejected({ mutate: (claims) => void (claims[`${LTI}version`] = '1.1.0') });
    await expectRejected({ mutate: remove(`${LTI}version`) });
  });

  it('rejects something that is not a JWT, and a JWT that is not an LTI message', async () => {
    await expectRejected({ sign: async () => 'this-is-not-a-jwt' }, 400);
    await expectRejected({
      mutate: (claims) => {
        for (const key of Object.keys(claims))
          if (key.startsWith('https://purl.imsglobal.org/')) delete claims[key];
      },
    });
  });

  it('rejects tokens issued or expired in the past', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected({ mutate: (claims) => Object.assign(claims, { iat: now - 7200, exp: now - 3600 }) });
    await expectRejected({ mutate: (claims) => Object.assign(claims, { iat: now - 3600, exp: now + 3600 }) });
  });

  it('rejects a missing message_type, roles, deployment_id, resource_link.id or sub', async () => {
    await expectRejected({ mutate: remove(`${LTI}message_type`) });
    await expectRejected({ mutate: remove(`${LTI}roles`) });
    await expectRejected({ mutate: remove(`${LTI}deployment_id`) });
    await expectRejected({ mutate: (claims) => void (claims[`${LTI}resource_link`] = { title: 'no id' }) });
    await expectRejected({ sub: null, mutate: remove('sub') });
  });

  it("rejects alg none and HS256 signed with the platform's public key", async () => {
    await expectRejected({
      sign: async (claims) => unsigned({ alg: 'none', kid: platform.currentKey.kid }, claims),
    });
    await expectRejected({
      sign: async (claims) => {
        const publicPem = Buffer.from(await exportSPKI(await importPublic()));
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: platform.currentKey.kid })
          .sign(publicPem);
      },
    });
  });

  async function importPublic() {
    return (await importJWK(platform.currentKey.publicJwk, 'RS256', { extractable: true })) as CryptoKey;
  }

  it('rejects a token signed with a key from another registration', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expectRejected({
      sign: (claims) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: platform.currentKey.kid })
          .sign(privateKey),
    });
  });

  it("rejects a wrong iss, an aud without Aula's client id and a mismatched azp", async () => {
    await expectRejected({ mutate: (claims) => void (claims.iss = 'https://evil.example') });
    await expectRejected({ mutate: (claims) => void (claims.aud = 'someone-else') });
    await expectRejected({
      mutate: (claims) => Object.assign(claims, { aud: [platform.clientId, 'other'], azp: 'other' }),
    });
    await expectRejected({
      mutate: (claims) => Object.assign(claims, { aud: [platform.clientId, 'other'] }),
    });
  });

  it('rejects an unknown deployment and an off-host target_link_uri', async () => {
    const browser = new LtiBrowser(aula.url, platform);
    const login = await browser.login(
      platform.defineLaunch({ deploymentId: 'unknown-deployment', custom: classroomLink }),
      {
        lti_deployment_id: '',
      },
    );
    const before = await storedLaunchState();
    const { id_token: idToken, state } = await browser.authorize(login.authUrl!);
    expect((await browser.postLaunch(idToken, state)).status).toBe(403);
    expect(await storedLaunchState()).toEqual(before);
    await expectRejected({ targetLinkUri: 'https://evil.example/lti/launch' }, 400);
    const offHostLogin = await browser.login(platform.defineLaunch({}), {
      target_link_uri: 'https://evil.example/x',
    });
    expect(offHostLogin.status).toBe(400);
  });

  it("rejects a replayed id_token and state, and another browser's state", async () => {
    const browser = new LtiBrowser(aula.url, platform);
    const login = await browser.login(platform.defineLaunch({ custom: classroomLink }));
    const { id_token: idToken, state } = await browser.authorize(login.authUrl!);
    expect((await browser.postLaunch(idToken, state)).status).toBe(303);
    const before = await storedLaunchState();
    expect((await browser.postLaunch(idToken, state)).status).toBe(401);

    const victim = new LtiBrowser(aula.url, platform);
    const victimLogin = await victim.login(platform.defineLaunch({ custom: classroomLink }));
    const stolen = await victim.authorize(victimLogin.authUrl!);
    const attacker = new LtiBrowser(aula.url, platform);
    expect((await attacker.postLaunch(stolen.id_token, stolen.state)).status).toBe(401);
    expect(await storedLaunchState()).toEqual(before);
  });

  it('rejects launch requests without id_token or state', async () => {
    const browser = new LtiBrowser(aula.url, platform);
    expect((await browser.agent.post('/lti/launch').type('form').send({ state: 'x' })).status).toBe(400);
    expect((await browser.agent.post('/lti/launch').type('form').send({ id_token: 'x' })).status).toBe(400);
    expect((await browser.agent.get('/lti/login')).status).toBe(400);
  });

  describe('accepts the valid variants', () => {
    const enter = (spec: LaunchSpec) =>
      new LtiBrowser(aula.url, platform).enterClassroom({ custom: classroomLink, ...spec });

    it('empty roles, as a student', async () => {
      expect(await enter({ sub: 'empty-roles', roles: [] })).toMatchObject({ role: 'student' });
    });

    it('short role names', async () => {
      expect(await enter({ sub: 'short-instructor', roles: ['Instructor'] })).toMatchObject({
        role: 'teacher',
      });
      expect(await enter({ sub: 'short-learner', roles: ['Learner'] })).toMatchObject({ role: 'student' });
    });

    it('unknown role URIs, as a student', async () => {
      expect(await enter({ sub: 'unknown-role', roles: ['http://example.org/roles#Wizard'] })).toMatchObject({
        role: 'student',
      });
    });

    it('no name and no e-mail', async () => {
      const handoff = await enter({ sub: 'anonymous', name: undefined });
      expect(handoff.name).toMatch(/^Participant [0-9a-f]{4}$/);
    });

    it('no context', async () => {
      expect(await enter({ sub: 'no-context', context: null })).toMatchObject({ role: 'student' });
    });

    it('aud as an array with azp', async () => {
      const handoff = await enter({
        sub: 'multi-aud',
        mutate: (claims) =>
          Object.assign(claims, { aud: [platform.clientId, 'another-audience'], azp: platform.clientId }),
      });
      expect(handoff.role).toBe('student');
    });
  });
});
