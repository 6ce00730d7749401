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
export async function benchDatabase(): Promise<{ uri: (name: string) => string; stop(): Promise<void> }> {
  const server = await startDatabaseServer();
  return { uri: (name) => `${server.baseUri}/${name}`, stop: () => server.stop() };
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
