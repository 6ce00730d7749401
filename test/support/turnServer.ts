import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/shared/freePort.js';

const TURNSERVER = process.env.AULA_TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** Whether Debian's coturn is installed (the set-up installs it when it runs as root). */
export function coturnInstalled(): boolean {
  return fs.existsSync(TURNSERVER) && spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Debian's coturn as production runs it: TURN over TLS on one TCP port
 * (443 in production, a free port here), credentials in the TURN REST API's
 * shared-secret scheme, relaying to Aula's media ports from `address`.
 */
export class TurnServer {
  private output = '';

  private constructor(
    readonly address: string,
    readonly tlsPort: number,
    readonly secret: string,
    /** Base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list. */
    readonly spki: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly exited: Promise<void>,
  ) {}

  /** `turns:` URL browsers use: TLS over TCP, what a school firewall lets through. */
  get url(): string {
    return `turns:${this.address}:${this.tlsPort}?transport=tcp`;
  }

  static async start(address: string): Promise<TurnServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-coturn-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=turn.aula.test',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    // What a browser trusts for this server's certificate (--ignore-certificate-errors-spki-list):
    // the test's stand-in for a certificate from a public authority.
    const publicKey = execFileSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout']);
    const spkiDer = crypto.createPublicKey(publicKey).export({ type: 'spki', format: 'der' });
    const spki = crypto.createHash('sha256').update(spkiDer).digest('base64');
    const tlsPort = await freePort();
    const plainPort = await freePort();
    const secret = crypto.randomBytes(24).toString('base64url');
    const child = spawn(
      TURNSERVER,
      [
        '-n',
        `--listening-ip=${address}`,
        `--relay-ip=${address}`,
        `--listening-port=${plainPort}`,
        `--tls-listening-port=${tlsPort}`,
        '--no-dtls',
        '--use-auth-secret',
        `--static-auth-secret=${secret}`,
        '--realm=aula.test',
        `--cert=${cert}`,
        `--pkey=${key}`,
        '--no-cli',
        '--no-software-attribute',
        // As in production: it relays to Aula's media address and nowhere else.
        '--denied-peer-ip=0.0.0.0-255.255.255.255',
        `--allowed-peer-ip=${address}`,
        '--min-port=49160',
        '--max-port=49660',
        `--userdb=${path.join(dir, 'turndb')}`,
        `--pidfile=${path.join(dir, 'turnserver.pid')}`,
        '--log-file=stdout',
        '--simple-log',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new TurnServer(address, tlsPort, secret, spki, child, dir, exited);
    const keep = (chunk: Buffer) => {
      server.output = (server.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!(await listening(address, tlsPort))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(`coturn did not start:\n${server.output.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return server;
  }

  /**
   * Asks coturn for a relay with these credentials (coturn's own test client over TLS):
   * true when it allocated one, false when it refused them.
   */
  allocates(username: string, credential: string): boolean {
    // It sends to a peer that never answers, so after an allocation it runs until stopped.
    const result = spawnSync(
      'turnutils_uclient',
      [
        ...['-t', '-S', '-n', '1', '-m', '1', '-p', String(this.tlsPort)],
        ...['-u', username, '-w', credential, '-e', this.address, '-r', '9', this.address],
      ],
      { encoding: 'utf8', timeout: 3_000 },
    );
    const log = `${result.stdout}${result.stderr}`;
    if (log.includes('Cannot complete Allocation')) return false;
    // An allocation was made: the client went on to send through it.
    if (log.includes('start_mclient')) return true;
    throw new Error(`turnutils_uclient gave no answer:\n${log.slice(-2000)}`);
  }

  /** What coturn logged, for a failing test's message. */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
      await this.exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
