import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/media/WorkerPool.js';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitFor } from '../support/testAula.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WorkerPool', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create({
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
      workers: 2,
      listenIp: '127.0.0.1',
      basePort: 0,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(() => pool?.close());

  it('creates a router, a WebRTC transport on the WebRtcServer and a plain transport, and closes them', async () => {
    const pooled = pool.leastLoaded()!;
    const router = await pooled.worker.createRouter({ mediaCodecs });
    const webRtc = await router.createWebRtcTransport({
      webRtcServer: pooled.webRtcServer,
      enableUdp: true,
      enableTcp: true,
    });
    const candidates = webRtc.iceCandidates;
    expect(candidates.map((candidate) => candidate.protocol).sort()).toEqual(['tcp', 'udp']);
    // All transports share the server's two ports.
    const [udp, tcp] = [
      candidates.find((c) => c.protocol === 'udp')!,
      candidates.find((c) => c.protocol === 'tcp')!,
    ];
    const second = await router.createWebRtcTransport({
      webRtcServer: pooled.webRtcServer,
      enableUdp: true,
      enableTcp: true,
    });
    expect(second.iceCandidates.find((c) => c.protocol === 'udp')!.port).toBe(udp.port);
    expect(second.iceCandidates.find((c) => c.protocol === 'tcp')!.port).toBe(tcp.port);

    const plain = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
    expect(plain.tuple.localPort).toBeGreaterThan(0);

    for (const transport of [webRtc, second, plain]) transport.close();
    expect([webRtc.closed, second.closed, plain.closed]).toEqual([true, true, true]);
    router.close();
    expect(router.closed).toBe(true);
  });

  it('balances on load', () => {
    const [first, second] = pool.workers;
    first!.load = 5;
    second!.load = 1;
    expect(pool.leastLoaded()).toBe(second);
    first!.load = 0;
    second!.load = 0;
  });

  it('replaces a worker that dies', async () => {
    const victim = pool.workers[0]!;
    const replaced = new Promise((resolve) => pool.once('workerReplaced', resolve));
    pool.killWorker(victim.index);
    await replaced;
    expect(pool.aliveCount).toBe(2);
    expect(pool.workers.map((worker) => worker.pid)).not.toContain(victim.pid);
    await waitFor(() => !processAlive(victim.pid), { what: 'dead worker to be reaped' });
  });
});
