import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { suiteAula } from '../support/suiteAula.js';
import type { TestAula } from '../support/testAula.js';

/** The origins a response lets frame Aula, from its Content-Security-Policy. */
async function frameAncestors(aula: TestAula): Promise<string[]> {
  const response = await request(aula.url).get('/healthz');
  const policy = String(response.headers['content-security-policy']);
  const directive = /frame-ancestors ([^;]+)/.exec(policy)?.[1] ?? '';
  return directive.split(' ').filter((origin) => origin !== "'self'");
}

const manualPlatform = (origin: string, deployments: string[] = []) => ({
  issuer: origin,
  clientId: 'client-1',
  name: 'School Moodle',
  authenticationEndpoint: `${origin}/mod/lti/auth.php`,
  accessTokenEndpoint: `${origin}/mod/lti/token.php`,
  keysetUrl: `${origin}/mod/lti/certs.php`,
  deployments,
});

describe('frame-ancestors during a registration change', () => {
  let aula: TestAula;
  suiteAula((started) => (aula = started));

  it('lists a newly registered platform as soon as its registration is done', async () => {
    await aula.lti.platforms.register(manualPlatform('https://moodle.school-one.example', ['1']), 'manual');
    expect(await frameAncestors(aula)).toEqual(['https://moodle.school-one.example']);
  });

  it('never drops a registered platform while another registration changes', async () => {
    const first = await aula.lti.platforms.register(
      manualPlatform('https://moodle.school-two.example', ['1']),
      'manual',
    );
    const changes: Array<() => Promise<unknown>> = [
      () => aula.lti.platforms.addDeployment(first._id, '2'),
      () => aula.lti.platforms.updateDeployment(first._id, '1', { seatTier: 50 }),
      () => aula.lti.platforms.register(manualPlatform('https://moodle.school-three.example'), 'manual'),
      () => aula.lti.platforms.setEnabled(first._id, true),
      () => aula.lti.platforms.removeDeployment(first._id, '2'),
    ];
    for (const change of changes) {
      await change();
      // The very next answer after the change: a framed launch in this moment must not be refused.
      expect(await frameAncestors(aula)).toContain('https://moodle.school-two.example');
    }
    expect(await frameAncestors(aula)).toContain('https://moodle.school-three.example');
  });
});
