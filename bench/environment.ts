import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDatabaseServer } from '../test/support/databaseServer.js';

/** Read from node_modules directly: some packages do not export their package.json. */
function versionOf(pkg: string): string {
  const file = path.resolve('node_modules', pkg, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function chromiumVersion(): string {
  try {
    return execFileSync(process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'])
      .toString()
      .trim();
  } catch {
    return 'unavailable';
  }
}

/** What every result file records about where it was measured. */
export function machine() {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    versions: {
      node: process.version,
      mediasoup: versionOf('mediasoup'),
      mediasoupClient: versionOf('mediasoup-client'),
      ltijs: versionOf('ltijs'),
      chromium: chromiumVersion(),
    },
    database: process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB (local)',
  };
}

/** The database benchmarks use: the same server tests use, one database name per benchmark. */
export async function benchDatabase(): Promise<{
  uri: (name: string) => string;
  /** CPU time of the local database server so far, undefined for MONGODB_URI. */
  cpuMs: () => number | undefined;
  stop(): Promise<void>;
}> {
  const server = await startDatabaseServer();
  return {
    uri: (name) => `${server.baseUri}/${name}`,
    cpuMs: () => (server.pid ? processCpuMs(server.pid) : undefined),
    stop: () => server.stop(),
  };
}

/** User and system CPU of another process (Linux /proc), undefined where unavailable. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]!);
}

/** Rounded for reading: results are measurements, not more precise than this. */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** How many times the baseline a measurement is, as the JSON files report it. */
export function ratio(measured: number, baseline: number): number {
  return round(measured / baseline);
}

/** Parent of every process (Linux /proc), by pid. */
export function parentsOfAll(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  return parents;
}

/** The processes whose parent is `parent` (this process unless told). */
export function childProcesses(parent = process.pid): number[] {
  return [...parentsOfAll()].filter(([, of]) => of === parent).map(([pid]) => pid);
}

/** CPU time (ms) so far of a process and everything below it: a browser with its renderers and helpers. */
export function processTreeCpuMs(root: number): number {
  const parents = parentsOfAll();
  const inTree = (pid: number): boolean => {
    for (let at: number | undefined = pid; at; at = parents.get(at)) if (at === root) return true;
    return false;
  };
  return [...parents.keys()].filter(inTree).reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
}
