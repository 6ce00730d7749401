import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../processes.js';

/**
 * Two test hosts in network namespaces of their own, joined by one veth
 * pair and nothing else: `server` (198.18.0.1) and `client` (198.18.0.2),
 * each with the other as its default route. Nothing reaches the machine's
 * own interfaces. Browsers need this: Firefox gathers no ICE candidates on
 * loopback, and none at all without a default route.
 *
 * Needs root (CI runs as root). Namespaces are named after this process, so
 * parallel test files never collide, and a run that died leaves nothing
 * behind for long: the next create() removes namespaces of dead processes.
 */
export class TestNetwork {
  static readonly serverIp = '198.18.0.1';
  static readonly clientIp = '198.18.0.2';
  private static counter = 0;
  private static readonly open = new Set<TestNetwork>();
  private readonly scratch: string;
  private closed = false;

  private constructor(
    readonly server: string,
    readonly client: string,
    private readonly serverLink: string,
  ) {
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-net-'));
  }

  /** Whether this machine lets the tests make namespaces (root with iproute2). */
  static available(): boolean {
    try {
      return process.getuid?.() === 0 && Boolean(execFileSync('ip', ['-V'], { encoding: 'utf8' }));
    } catch {
      return false;
    }
  }

  static create(): TestNetwork {
    removeLeftovers();
    const id = `${process.pid}x${(TestNetwork.counter += 1)}`;
    const network = new TestNetwork(`aula-${id}-s`, `aula-${id}-c`, `av${id}s`);
    TestNetwork.open.add(network);
    if (TestNetwork.open.size === 1) process.once('exit', () => TestNetwork.closeAll());
    try {
      const clientLink = `av${id}c`;
      ip('netns', 'add', network.server);
      ip('netns', 'add', network.client);
      ip(
        'link',
        'add',
        network.serverLink,
        'netns',
        network.server,
        'type',
        'veth',
        'peer',
        'name',
        clientLink,
        'netns',
        network.client,
      );
      for (const [ns, link, own, other] of [
        [network.server, network.serverLink, TestNetwork.serverIp, TestNetwork.clientIp],
        [network.client, clientLink, TestNetwork.clientIp, TestNetwork.serverIp],
      ] as const) {
        ip('-n', ns, 'link', 'set', 'lo', 'up');
        ip('-n', ns, 'addr', 'add', `${own}/30`, 'dev', link);
        ip('-n', ns, 'link', 'set', link, 'up');
        ip('-n', ns, 'route', 'add', 'default', 'via', other);
      }
    } catch (error) {
      network.close();
      throw error;
    }
    return network;
  }

  /**
   * Limits what the server sends the client (the client's downlink) with a
   * token bucket: `rate` like '600kbit'. The queue holds 100 ms, as a home
   * router's would, so an overloaded line drops packets instead of delaying them for seconds.
   */
  limitDownlink(rate: string): void {
    this.netnsExec(
      this.server,
      'tc',
      'qdisc',
      'replace',
      'dev',
      this.serverLink,
      'root',
      'tbf',
      'rate',
      rate,
      'burst',
      '8kb',
      'latency',
      '100ms',
    );
  }

  liftDownlinkLimit(): void {
    this.netnsExec(this.server, 'tc', 'qdisc', 'del', 'dev', this.serverLink, 'root');
  }

  /**
   * An executable that runs `program` inside a namespace with the given
   * arguments: what browser launchers take as their executable path.
   * File descriptors survive, so a browser's control pipes still work.
   */
  wrapper(namespace: string, program: string): string {
    const file = path.join(this.scratch, `${path.basename(program)}-in-${namespace}`);
    fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${namespace} ${program} "$@"\n`, { mode: 0o755 });
    return file;
  }

  /** A path for a Unix socket: sockets on the file system cross namespaces. */
  socketPath(name: string): string {
    return path.join(this.scratch, `${name}.sock`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    TestNetwork.open.delete(this);
    // Deleting a namespace deletes the veth end in it, and with it the peer.
    for (const ns of [this.server, this.client]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Not created, or already gone.
      }
    }
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  private static closeAll(): void {
    for (const network of [...TestNetwork.open]) network.close();
  }

  private netnsExec(namespace: string, ...command: string[]): void {
    ip('netns', 'exec', namespace, ...command);
  }
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Namespaces a crashed test run left: named aula-<pid>x<n>-…, whose process is gone. */
function removeLeftovers(): void {
  let names: string[];
  try {
    names = ip('netns', 'list')
      .split('\n')
      .map((line) => line.split(' ')[0]!)
      .filter(Boolean);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^aula-(\d+)x\d+-[sc]$/.exec(name)?.[1]);
    if (!pid || processAlive(pid)) continue;
    try {
      ip('netns', 'del', name);
    } catch {
      // Someone else removed it first.
    }
  }
}
