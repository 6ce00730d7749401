import type os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultListenIps } from '../../src/config/environment.js';
import { WorkerPool, listenAddresses } from '../../src/media/WorkerPool.js';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { createLogger } from '../../src/shared/logger.js';
import { processAlive } from '../support/processes.js';
import { waitFor } from '../support/testAula.js';

describe('WorkerPool', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await WorkerPool.create({
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
      workers: 2,
      listenIps: ['127.0.0.1'],
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

  it('offers one candidate per listen address, so every browser finds one it can reach', async () => {
    const twoAddresses = await WorkerPool.create({
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
      workers: 1,
      // A second loopback address stands for the host's own: no traffic leaves this machine.
      listenIps: ['127.0.0.1', '127.0.0.2'],
      basePort: 0,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const pooled = twoAddresses.leastLoaded()!;
      const router = await pooled.worker.createRouter({ mediaCodecs });
      const transport = await router.createWebRtcTransport({
        webRtcServer: pooled.webRtcServer,
        enableUdp: true,
        enableTcp: true,
      });
      const udp = transport.iceCandidates.filter((c) => c.protocol === 'udp').map((c) => c.ip);
      expect(udp.sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    } finally {
      twoAddresses.close();
    }
  });
});

describe('where media listens', () => {
  it("listens on loopback and on each of the host's IPv4 addresses by default", () => {
    const v4 = (address: string, internal = false): os.NetworkInterfaceInfo => ({
      address,
      family: 'IPv4',
      internal,
      netmask: '255.255.255.0',
      mac: '00:00:00:00:00:00',
      cidr: null,
    });
    const v6 = (address: string, internal = false): os.NetworkInterfaceInfo => ({
      ...v4(address, internal),
      family: 'IPv6',
      scopeid: 0,
    });
    expect(
      defaultListenIps({
        lo: [v4('127.0.0.1', true), v6('::1', true)],
        eth0: [v4('192.0.2.2'), v6('fe80::1')],
        wlan0: [v4('198.51.100.4')],
      }),
    ).toEqual(['127.0.0.1', '192.0.2.2', '198.51.100.4']);
  });

  it('behind NAT, announces the public address for the private ones and loopback as itself', () => {
    expect(
      listenAddresses({ listenIps: ['127.0.0.1', '10.0.0.5', '10.0.0.6'], announcedAddress: '203.0.113.7' }),
    ).toEqual([{ ip: '127.0.0.1' }, { ip: '10.0.0.5', announcedIp: '203.0.113.7' }]);
    expect(listenAddresses({ listenIps: ['0.0.0.0'], announcedAddress: '203.0.113.7' })).toEqual([
      { ip: '0.0.0.0', announcedIp: '203.0.113.7' },
    ]);
  });
});
