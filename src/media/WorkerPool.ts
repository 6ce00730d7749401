import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type * as Mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../shared/logger.js';
import { loadMediasoup } from './mediasoupRuntime.js';

export interface WorkerPoolOptions {
  workerBin?: string;
  workers: number;
  /** Addresses the WebRtcServer listens on; each becomes an ICE candidate of its own. */
  listenIps: readonly string[];
  /** The public address that stands for every non-loopback listen address (behind NAT). */
  announcedAddress?: string;
  /** WebRtcServer port of worker 0; worker i listens on basePort + i. 0 lets the OS choose. */
  basePort: number;
  logger: Logger;
}

/** One mediasoup worker with its WebRtcServer: one UDP and one TCP port that every transport shares. */
export class PooledWorker {
  /** Participants whose transports live on this worker; the pool balances on it. */
  load = 0;

  constructor(
    readonly index: number,
    readonly worker: types.Worker,
    readonly webRtcServer: types.WebRtcServer,
  ) {}

  get pid(): number {
    return this.worker.pid;
  }

  get alive(): boolean {
    return !this.worker.closed && !this.worker.died;
  }
}

export interface WorkerUsage {
  index: number;
  pid: number;
  cpuSeconds: number;
  rssBytes: number;
  load: number;
}

type PoolEvents = {
  workerReplaced: [worker: PooledWorker];
};

const RESPAWN_DELAYS_MS = [100, 500, 2000, 5000];

export class WorkerPool extends EventEmitter<PoolEvents> {
  private readonly slots: (PooledWorker | undefined)[];
  private closed = false;

  private constructor(
    private readonly mediasoup: typeof Mediasoup,
    private readonly options: WorkerPoolOptions,
  ) {
    super();
    this.slots = new Array<PooledWorker | undefined>(options.workers).fill(undefined);
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const mediasoup = await loadMediasoup(options.workerBin);
    const pool = new WorkerPool(mediasoup, options);
    try {
      for (let index = 0; index < options.workers; index++) await pool.spawn(index);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get workers(): PooledWorker[] {
    return this.slots.filter((slot): slot is PooledWorker => slot?.alive === true);
  }

  get aliveCount(): number {
    return this.workers.length;
  }

  /** The live worker carrying the fewest participants. */
  leastLoaded(exclude: ReadonlySet<PooledWorker> = new Set()): PooledWorker | undefined {
    let best: PooledWorker | undefined;
    for (const candidate of this.workers) {
      if (exclude.has(candidate)) continue;
      if (!best || candidate.load < best.load) best = candidate;
    }
    return best;
  }

  async usage(): Promise<WorkerUsage[]> {
    return Promise.all(
      this.workers.map(async (pooled) => {
        const usage = await pooled.worker.getResourceUsage();
        return {
          index: pooled.index,
          pid: pooled.pid,
          cpuSeconds: (usage.ru_utime + usage.ru_stime) / 1000,
          rssBytes: currentRss(pooled.pid) ?? usage.ru_maxrss * 1024,
          load: pooled.load,
        };
      }),
    );
  }

  /** Test and operations hook: what a crashed worker looks like. */
  killWorker(index: number): void {
    const pooled = this.slots[index];
    if (pooled?.alive) process.kill(pooled.pid, 'SIGKILL');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pooled of this.slots) pooled?.worker.close();
    this.options.logger.info('close() | media workers closed');
  }

  private async spawn(index: number): Promise<PooledWorker> {
    const { logger, basePort } = this.options;
    const worker = await this.mediasoup.createWorker({
      logLevel: 'warn',
      logTags: ['ice', 'dtls', 'rtp', 'srtp', 'rtcp', 'simulcast', 'bwe'],
      appData: { index },
    });
    let webRtcServer: types.WebRtcServer;
    try {
      const port = basePort === 0 ? undefined : basePort + index;
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: listenAddresses(this.options).flatMap(({ ip, announcedIp }) =>
          (['udp', 'tcp'] as const).map((protocol) => ({
            protocol,
            ip,
            ...(announcedIp ? { announcedIp } : {}),
            ...(port === undefined ? {} : { port }),
          })),
        ),
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    const pooled = new PooledWorker(index, worker, webRtcServer);
    this.slots[index] = pooled;
    worker.on('died', (error) => this.handleDeath(pooled, error));
    logger.info({ index, pid: worker.pid }, 'spawn() | media worker started');
    return pooled;
  }

  private handleDeath(pooled: PooledWorker, error: Error): void {
    this.options.logger.error(
      { index: pooled.index, pid: pooled.pid, err: error },
      'handleDeath() | media worker died',
    );
    this.slots[pooled.index] = undefined;
    void this.respawn(pooled.index, 0);
  }

  private async respawn(index: number, attempt: number): Promise<void> {
    if (this.closed) return;
    const delay = RESPAWN_DELAYS_MS[Math.min(attempt, RESPAWN_DELAYS_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.closed) return;
    try {
      const replacement = await this.spawn(index);
      this.emit('workerReplaced', replacement);
    } catch (error) {
      this.options.logger.error({ index, attempt, err: error }, 'respawn() | could not replace media worker');
      void this.respawn(index, attempt + 1);
    }
  }
}

/**
 * Where a worker listens and what it announces there. Loopback is announced
 * as itself (a browser on this machine reaches it), every other address as
 * the announced address when one is set; two addresses announced alike
 * would be one candidate twice, so the first is kept.
 */
export function listenAddresses(options: {
  listenIps: readonly string[];
  announcedAddress?: string;
}): Array<{ ip: string; announcedIp?: string }> {
  const seen = new Set<string>();
  const result: Array<{ ip: string; announcedIp?: string }> = [];
  for (const ip of options.listenIps) {
    const loopback = ip.startsWith('127.') || ip === '::1';
    const announcedIp = loopback ? undefined : options.announcedAddress;
    const candidate = announcedIp ?? ip;
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    result.push({ ip, ...(announcedIp ? { announcedIp } : {}) });
  }
  return result;
}

function currentRss(pid: number): number | undefined {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return undefined;
  }
}
