import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/shared/freePort.js';
import { TestDaemon } from './testDaemon.js';

/** The routing rule production uses (docker/haproxy), loaded unchanged. */
const AULA_BACKEND = path.resolve('docker/haproxy/aula-backend.cfg');

const HAPROXY = process.env.AULA_HAPROXY_PATH ?? '/usr/sbin/haproxy';

/** Whether Debian's HAProxy is installed (the set-up installs it when it runs as root). */
export function haproxyInstalled(): boolean {
  return spawnSync(HAPROXY, ['-v'], { stdio: 'ignore' }).status === 0;
}

/**
 * Debian's HAProxy in front of two Aula nodes named aula1 and aula2, with
 * production's backend (docker/haproxy/aula-backend.cfg) behind a plain-HTTP
 * frontend of the test's own. Each answer says which node served it (`X-Aula-Node`).
 */
export class LoadBalancer {
  private constructor(
    readonly url: string,
    private readonly daemon: TestDaemon,
  ) {}

  /** A port for the balancer before it starts: the nodes' public URL must name it. */
  static port(): Promise<number> {
    return freePort();
  }

  static async start(port: number, nodes: { aula1: string; aula2: string }): Promise<LoadBalancer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-haproxy-'));
    const frontend = path.join(dir, 'frontend.cfg');
    fs.writeFileSync(
      frontend,
      [
        'global',
        '    log stdout format raw local0 warning',
        'defaults',
        '    mode http',
        '    log global',
        '    option forwardfor',
        '    timeout connect 2s',
        '    timeout client 60s',
        '    timeout server 60s',
        'frontend aula-test',
        `    bind 127.0.0.1:${port}`,
        '    http-response set-header X-Aula-Node %s',
        '    default_backend aula',
        '',
      ].join('\n'),
    );
    const daemon = await TestDaemon.start(HAPROXY, ['-db', '-f', frontend, '-f', AULA_BACKEND], {
      dir,
      host: '127.0.0.1',
      port,
      env: { ...process.env, AULA1_ADDRESS: nodes.aula1, AULA2_ADDRESS: nodes.aula2 },
      what: 'HAProxy',
    });
    return new LoadBalancer(`http://127.0.0.1:${port}`, daemon);
  }

  /** Resolves once HAProxy sends a request that asks for each of these nodes to that node (it is up there). */
  async waitForNodes(ids: string[], timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const id of ids) {
      for (;;) {
        const served = await fetch(`${this.url}/healthz?node=${id}`).then(
          (response) => response.headers.get('x-aula-node'),
          () => null,
        );
        if (served === id) break;
        if (Date.now() > deadline) throw new Error(`HAProxy does not route to ${id}:\n${this.log}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** What HAProxy logged (warnings and errors), for a failing test's message. */
  get log(): string {
    return this.daemon.log;
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }
}
