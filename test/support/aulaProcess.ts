import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JoinTokens, type JoinClaims } from '../../src/classroom/joinToken.js';
import { freePort } from '../../src/shared/freePort.js';

/**
 * Aula as its own process (the built `dist/server/main.js`, as `npm start`
 * runs it), so a test can stop it with SIGTERM or SIGKILL and start it again
 * on the same port, secret and database while browser pages stay open.
 */
export class AulaProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';

  private constructor(
    readonly url: string,
    private readonly env: Record<string, string>,
    private readonly dataDir: string,
    private readonly secret: string,
  ) {}

  /** `env` overrides the defaults; nodes of one cluster share `AULA_SECRET` (join tokens work on each). */
  static async create(env: Record<string, string>): Promise<AulaProcess> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-process-'));
    const secret = env.AULA_SECRET ?? crypto.randomBytes(32).toString('base64url');
    const url = `http://127.0.0.1:${port}`;
    return new AulaProcess(
      url,
      {
        NODE_ENV: 'test',
        AULA_PORT: String(port),
        AULA_HOST: '127.0.0.1',
        AULA_PUBLIC_URL: url,
        AULA_DATA_DIR: dataDir,
        AULA_SECRET: secret,
        AULA_ADMIN_TOKEN: crypto.randomBytes(18).toString('base64url'),
        AULA_MEDIA_WORKERS: '1',
        AULA_LOG_LEVEL: 'info',
        ...env,
      },
      dataDir,
      secret,
    );
  }

  /** A join token this Aula accepts, before and after any restart (the secret stays). */
  async token(claims: JoinClaims): Promise<{ token: string; expiresAt: number }> {
    const key = Buffer.from(crypto.hkdfSync('sha256', this.secret, 'aula', 'join-token', 32));
    return new JoinTokens(key, 600).mint(claims);
  }

  /** Starts the process and resolves once it answers /readyz. */
  async start(): Promise<void> {
    // A fresh media port each start: a killed process's worker may hold the old one a moment longer.
    const rtcPort = String(await freePort());
    const child = spawn(process.execPath, [path.resolve('dist/server/main.js')], {
      // Aula refuses unknown AULA_* variables: the test runner's own (AULA_CHROMIUM_PATH) stay out.
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AULA_'))),
        ...this.env,
        AULA_RTC_PORT: rtcPort,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Aula exited during start:\n${this.output.slice(-3000)}`);
      const ready = await fetch(`${this.url}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Aula did not become ready:\n${this.output.slice(-3000)}`);
  }

  /** Stops the process the way a deployment (SIGTERM) or a crash (SIGKILL) would; answers its exit code. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    await this.exited;
    return this.child.exitCode;
  }

  /** The process's log lines (JSON), newest last. */
  get logs(): string[] {
    return this.output.split('\n').filter((line) => line.startsWith('{'));
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
