import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../shared/freePort.js';
import type { Logger } from '../shared/logger.js';

/** A MongoDB-protocol server that Aula started and therefore stops. */
export interface LocalDatabaseServer {
  readonly uri: string;
  readonly kind: 'ferretdb' | 'mongodb-memory-server';
  /** The server's process: tests pause it to play a database outage, benchmarks measure its CPU. */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  dataDir: string;
  ferretdbBin?: string;
  /** 0 picks a free port. */
  port?: number;
  logger: Logger;
}

export class NoLocalDatabaseError extends Error {
  constructor(reasons: string[]) {
    super(
      'No MongoDB-protocol database is available. Set MONGODB_URI to your MongoDB, or run `npm run setup` ' +
        'with Go installed (FerretDB is built from the Go module proxy), or allow mongodb-memory-server to ' +
        `download mongod.\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`,
    );
    this.name = 'NoLocalDatabaseError';
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode} during start`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`FerretDB did not listen on port ${port} within ${timeoutMs} ms`);
}

function killStaleServer(pidFile: string, logger: Logger): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    // Only kill it if it still is the FerretDB we started, not a recycled pid.
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('ferretdb')) return;
    process.kill(pid, 'SIGTERM');
    logger.warn({ pid }, 'startLocalDatabase() | stopped a FerretDB left over from an earlier run');
  } catch {
    // Not running any more.
  }
}

/**
 * Starting FerretDB through `setpriv --pdeathsig` makes the kernel stop it
 * when Aula dies without a chance to clean up (SIGKILL, OOM), so no orphan
 * keeps the data directory locked.
 */
function spawnWithParentDeathSignal(bin: string, args: string[]): ChildProcess {
  const hasSetpriv =
    process.platform === 'linux' && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  const [command, commandArgs] = hasSetpriv
    ? ['setpriv', ['--pdeathsig', 'SIGTERM', '--', bin, ...args]]
    : [bin, args];
  return spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function startFerretDB(
  options: LocalDatabaseOptions & { ferretdbBin: string },
): Promise<LocalDatabaseServer> {
  const dir = path.join(options.dataDir, 'ferretdb');
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'aula-ferretdb.pid');
  killStaleServer(pidFile, options.logger);
  const port = options.port || (await freePort());
  const child = spawnWithParentDeathSignal(options.ferretdbBin, [
    '--handler=sqlite',
    // WAL with synchronous=NORMAL: a commit no longer waits for an fsync (a 200-launch storm makes
    // 600 commits); a power cut may lose the last moments, never the database (see README).
    `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
    `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
    '--log-format=json',
  ]);
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  if (child.pid) fs.writeFileSync(pidFile, String(child.pid));
  try {
    await waitForPort(port, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderrTail}`);
  }
  options.logger.info({ port, dataDir: dir, pid: child.pid }, 'startLocalDatabase() | FerretDB started');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    kind: 'ferretdb',
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(pidFile, { force: true });
      options.logger.info({ port }, 'stop() | FerretDB stopped');
    },
  };
}

async function startMemoryServer(options: LocalDatabaseOptions): Promise<LocalDatabaseServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(options.dataDir, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', ...(options.port ? { port: options.port } : {}) },
  });
  options.logger.info({ dbPath }, 'startLocalDatabase() | mongodb-memory-server started');
  return {
    uri: server.getUri().replace(/\/$/, ''),
    kind: 'mongodb-memory-server',
    async stop() {
      // doCleanup false keeps the data directory: nothing is lost across restarts.
      await server.stop({ doCleanup: false });
    },
  };
}

/** Starts FerretDB when its binary is available, else mongodb-memory-server, else explains what is missing. */
export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabaseServer> {
  const reasons: string[] = [];
  if (options.ferretdbBin && fs.existsSync(options.ferretdbBin)) {
    try {
      return await startFerretDB({ ...options, ferretdbBin: options.ferretdbBin });
    } catch (error) {
      reasons.push(`FerretDB (${options.ferretdbBin}) failed: ${(error as Error).message}`);
    }
  } else {
    reasons.push('no FerretDB binary (AULA_FERRETDB_BIN is unset or missing)');
  }
  try {
    return await startMemoryServer(options);
  } catch (error) {
    reasons.push(`mongodb-memory-server failed: ${(error as Error).message.split('\n')[0]}`);
  }
  throw new NoLocalDatabaseError(reasons);
}
