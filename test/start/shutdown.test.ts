import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive as alive } from '../support/processes.js';
import { waitFor } from '../support/testAula.js';

function descendants(pid: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim();
  const children = out ? out.split('\n').map(Number) : [];
  return children.flatMap((child) => [child, ...descendants(child)]);
}

describe('the start command on its embedded defaults', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts its own database and workers, prints the registration URLs, and leaves nothing behind on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AULA_PORT: '0',
      AULA_RTC_PORT: '0',
      AULA_MEDIA_WORKERS: '2',
      AULA_DATA_DIR: dataDir,
      AULA_FERRETDB_BIN: process.env.AULA_FERRETDB_BIN,
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    let port: number | undefined;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /"port":(\d+),.*startAula\(\) \| listening/.exec(line);
      if (match) port = Number(match[1]);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await waitFor(() => port, { timeoutMs: 60_000, what: 'Aula to listen' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    // Without AULA_PUBLIC_URL the banner names the port Aula serves on (here one picked for port 0)
    // and says what a school must set instead.
    const text = output.join('\n');
    const served = `http://localhost:${port}`;
    const registration = new RegExp(`^ {4}(${served}/lti/register/[\\w-]{20,})$`, 'm').exec(text)?.[1];
    expect(registration, text).toBeDefined();
    expect(text).toMatch(new RegExp(`^ {4}Public keyset: +${served}/lti/keys$`, 'm'));
    expect(text).toContain(
      `Note: AULA_PUBLIC_URL is not set, so these addresses are where Aula listens on this machine (${served})`,
    );
    expect(text).toContain('set AULA_PUBLIC_URL to the public HTTPS address');
    // The printed addresses are served: the keyset answers, the registration URL's secret is accepted.
    expect((await fetch(`${served}/lti/keys`)).status).toBe(200);
    const opened = await fetch(registration!, { headers: { 'Accept-Language': 'en' } });
    expect(opened.status).toBe(400);
    expect(await opened.text()).toContain('Paste this URL into your LMS');

    const helpers = descendants(child.pid!);
    const ferretPid = Number(fs.readFileSync(path.join(dataDir, 'ferretdb', 'aula-ferretdb.pid'), 'utf8'));
    expect(helpers.length).toBeGreaterThanOrEqual(3); // two workers and the database server
    expect(helpers).toContain(ferretPid);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => helpers.every((pid) => !alive(pid)), { what: 'helper processes to exit' });
    expect(fs.existsSync(path.join(dataDir, 'ferretdb', 'aula-ferretdb.pid'))).toBe(false);
  });
});
