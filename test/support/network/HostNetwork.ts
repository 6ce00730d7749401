import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function run(...args: string[]): void {
  execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A network namespace of the test's own joined to the machine (unlike TestNetwork, whose two
 * namespaces reach only each other): a veth pair between it and the
 * machine's namespace, an address on each end and a default route through
 * the pair, so a browser inside it reaches Aula on `hostAddress` and nothing
 * else. Rules that cut its traffic live inside it, never on the machine's
 * own firewall. Needs root (CI and these machines run tests as root).
 */
export class HostNetwork {
  private constructor(
    readonly name: string,
    private readonly hostSide: string,
    /** Aula's address as seen from inside the namespace (the machine's end of the pair). */
    readonly hostAddress: string,
    /** The namespace's own address. */
    readonly innerAddress: string,
  ) {}

  static create(): HostNetwork {
    const id = crypto.randomBytes(3).toString('hex');
    const octet = 1 + (parseInt(id.slice(0, 2), 16) % 250);
    const name = `aula-${id}`;
    const host = `va${id}`;
    const inner = `vb${id}`;
    const network = new HostNetwork(name, host, `198.19.${octet}.1`, `198.19.${octet}.2`);
    try {
      run('ip', 'netns', 'add', name);
      run('ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', inner);
      run('ip', 'link', 'set', inner, 'netns', name);
      run('ip', 'addr', 'add', `${network.hostAddress}/30`, 'dev', host);
      run('ip', 'link', 'set', host, 'up');
      run('ip', 'netns', 'exec', name, 'ip', 'addr', 'add', `${network.innerAddress}/30`, 'dev', inner);
      run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', inner, 'up');
      run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
      run('ip', 'netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', network.hostAddress);
    } catch (error) {
      network.dispose();
      throw error;
    }
    return network;
  }

  /** An executable that starts Chromium inside the namespace, for Playwright's `executablePath`. */
  chromiumLauncher(chromium = process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium'): string {
    const file = path.join(os.tmpdir(), `${this.name}-chromium.sh`);
    fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.name} ${chromium} "$@"\n`, { mode: 0o755 });
    return file;
  }

  /** Drops every packet in and out of the namespace until `restore()`: Wi-Fi gone. */
  cut(): void {
    const nft = (...args: string[]) => run('ip', 'netns', 'exec', this.name, 'nft', ...args);
    nft('add', 'table', 'inet', 'cut');
    nft('add', 'chain', 'inet', 'cut', 'in', '{ type filter hook input priority 0; policy drop; }');
    nft('add', 'chain', 'inet', 'cut', 'out', '{ type filter hook output priority 0; policy drop; }');
  }

  /**
   * A school firewall: from inside the namespace only TCP to these ports of the machine gets
   * out (the web server, a TURN server on 443); no UDP at all, no TCP to anything else.
   */
  allowOnlyTcp(ports: number[]): void {
    const nft = (...args: string[]) => run('ip', 'netns', 'exec', this.name, 'nft', ...args);
    nft('add', 'table', 'inet', 'school');
    nft('add', 'chain', 'inet', 'school', 'out', '{ type filter hook output priority 0; policy drop; }');
    nft('add', 'rule', 'inet', 'school', 'out', 'oif', 'lo', 'accept');
    nft(
      ...['add', 'rule', 'inet', 'school', 'out', 'ip', 'daddr', this.hostAddress],
      ...['tcp', 'dport', `{ ${ports.join(', ')} }`, 'accept'],
    );
  }

  restore(): void {
    run('ip', 'netns', 'exec', this.name, 'nft', 'delete', 'table', 'inet', 'cut');
  }

  /** Removes the namespace and the pair (also after a failed test). */
  dispose(): void {
    for (const args of [
      ['ip', 'link', 'delete', this.hostSide],
      ['ip', 'netns', 'delete', this.name],
    ]) {
      try {
        run(...args);
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(path.join(os.tmpdir(), `${this.name}-chromium.sh`), { force: true });
  }
}

/** Whether this machine lets the test build namespaces and firewall rules in them (root, iproute2, nft). */
export function canBuildNetworks(): boolean {
  try {
    const probe = HostNetwork.create();
    try {
      probe.cut();
      probe.restore();
    } finally {
      probe.dispose();
    }
    return true;
  } catch {
    return false;
  }
}
