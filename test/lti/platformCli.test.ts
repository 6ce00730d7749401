import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAula, type TestAula } from '../support/testAula.js';

function cli(
  aula: TestAula,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/lti/platformCli.ts',
        ...args,
        '--url',
        aula.url,
        '--token',
        aula.adminToken.value,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run platform', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await aula?.stop();
  });

  const lms = ['--issuer', 'https://moodle.school.example', '--client-id', 'abc123'];

  it('adds, lists, disables, enables and removes a manually registered platform', async () => {
    const added = await cli(
      aula,
      'add',
      ...lms,
      '--name',
      'School Moodle',
      '--auth-endpoint',
      'https://moodle.school.example/mod/lti/auth.php',
      '--token-endpoint',
      'https://moodle.school.example/mod/lti/token.php',
      '--keyset',
      'https://moodle.school.example/mod/lti/certs.php',
      '--deployment',
      '7',
    );
    expect(added).toMatchObject({ code: 0, stdout: 'Registered School Moodle.\n' });
    expect((await cli(aula, 'deployment-add', ...lms, '--deployment', '8', '--seats', '50')).code).toBe(0);

    let listed = await cli(aula, 'list');
    expect(listed.stdout).toContain(
      'on   School Moodle  issuer=https://moodle.school.example  client_id=abc123  (manual)',
    );
    expect(listed.stdout).toContain('on  deployment 7  seats=25');
    expect(listed.stdout).toContain('on  deployment 8  seats=50');

    expect((await cli(aula, 'disable', ...lms, '--deployment', '7')).stdout).toBe(
      'Disabled deployment 7 of School Moodle.\n',
    );
    expect((await cli(aula, 'disable', ...lms)).code).toBe(0);
    listed = await cli(aula, 'list');
    expect(listed.stdout).toContain('off  School Moodle');
    expect(listed.stdout).toContain('off deployment 7');
    expect((await cli(aula, 'enable', ...lms)).code).toBe(0);

    // The platform is registered in ltijs too: its launches find their endpoints.
    const ltiPlatform = await aula.lti.provider.getPlatform('https://moodle.school.example', 'abc123');
    expect(ltiPlatform && (await ltiPlatform.platformAuthEndpoint())).toBe(
      'https://moodle.school.example/mod/lti/auth.php',
    );

    expect((await cli(aula, 'remove', ...lms)).stdout).toBe('Removed School Moodle.\n');
    expect((await cli(aula, 'list')).stdout).toBe('No platforms registered.\n');
    expect(await aula.lti.provider.getPlatform('https://moodle.school.example', 'abc123')).toBe(false);
  });

  it('explains bad input and a wrong token', async () => {
    const missing = await cli(aula, 'add', '--issuer', 'https://x.example');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'missing --client-id, --name, --auth-endpoint, --token-endpoint, --keyset',
    );
    const invalid = await cli(
      aula,
      'add',
      ...lms,
      '--name',
      'n',
      '--auth-endpoint',
      'not a url',
      '--token-endpoint',
      'x',
      '--keyset',
      'y',
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('400');
    expect((await cli(aula, 'frobnicate')).stderr).toContain('unknown command');
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const run = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/lti/platformCli.ts',
          'list',
          '--url',
          aula.url,
          '--token',
          'wrong-token-123456',
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      run.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(child.code).toBe(2);
    expect(child.stderr).toContain('401');
  });
});
