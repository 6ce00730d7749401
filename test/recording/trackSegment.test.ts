import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/media/WorkerPool.js';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { TrackSegment } from '../../src/recording/TrackSegment.js';
import { createLogger } from '../../src/shared/logger.js';
import { ffprobe } from '../support/ffprobe.js';
import { RtpSource } from '../support/rtpSource.js';
import { waitFor } from '../support/testAula.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fileSize = (file: string) =>
  fs.stat(file).then(
    (stat) => stat.size,
    () => 0,
  );

/** A source that sends: ffmpeg takes a while to start on a loaded machine. */
async function sendingSource(router: types.Router, kind: types.MediaKind): Promise<RtpSource> {
  const source = await RtpSource.start(router, kind);
  await waitFor(async () => (await source.receivedBytes()) > 0, { timeoutMs: 20_000, what: 'RTP' });
  return source;
}

describe('TrackSegment', { timeout: 60_000 }, () => {
  let pool: WorkerPool;
  let router: types.Router;
  let dir: string;
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    pool = await WorkerPool.create({
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
      workers: 1,
      listenIps: ['127.0.0.1'],
      basePort: 0,
      logger,
    });
    router = await pool.leastLoaded()!.worker.createRouter({ mediaCodecs });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aula-segment-'));
  });
  afterAll(async () => {
    pool?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['video', 'vp8'],
    ['audio', 'opus'],
  ] as const)('copies a %s producer into a WebM file ffprobe reads as %s', async (kind, codec) => {
    const source = await sendingSource(router, kind);
    try {
      const file = path.join(dir, `${kind}.webm`);
      const segment = await TrackSegment.start({
        router,
        producerId: source.producer.id,
        file,
        ffmpegPath: 'ffmpeg',
        logger,
      });
      await waitFor(async () => (await fileSize(file)) > 4_000, { timeoutMs: 20_000, what: 'media on disk' });
      await sleep(1_500);
      const result = await segment.stop();
      expect(result.outcome).toBe('closed');
      expect(result.startedAt).not.toBeNull();
      expect(result.bytes).toBeGreaterThan(1_000);
      const probed = await ffprobe(file);
      expect(probed.codecs).toEqual([codec]);
      expect(probed.durationSeconds).toBeGreaterThan(1);
    } finally {
      source.stop();
    }
  });

  it('reports a segment whose ffmpeg died as crashed, with what it wrote', async () => {
    const source = await sendingSource(router, 'audio');
    try {
      const segment = await TrackSegment.start({
        router,
        producerId: source.producer.id,
        file: path.join(dir, 'crash.webm'),
        ffmpegPath: 'ffmpeg',
        logger,
      });
      const ended = new Promise<{ outcome: string }>((resolve) => segment.once('ended', resolve));
      await waitFor(() => segment.ffmpegPid, { what: 'ffmpeg' });
      process.kill(segment.ffmpegPid!, 'SIGKILL');
      expect((await ended).outcome).toBe('crashed');
    } finally {
      source.stop();
    }
  });
});
