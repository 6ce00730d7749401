import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/shared/freePort.js';
import { TestDaemon } from './testDaemon.js';

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
  private constructor(
    readonly address: string,
    readonly tlsPort: number,
    readonly secret: string,
    /** Base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list. */
    readonly spki: string,
    private readonly daemon: TestDaemon,
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
    const daemon = await TestDaemon.start(
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
      { dir, host: address, port: tlsPort, what: 'coturn' },
    );
    return new TurnServer(address, tlsPort, secret, spki, daemon);
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

  stop(): Promise<void> {
    return this.daemon.stop();
  }
}
