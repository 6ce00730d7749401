import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mediasoup from 'mediasoup';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { TrackSegment } from '../../src/recording/TrackSegment.js';
import { createLogger } from '../../src/shared/logger.js';
import { RtpSource } from '../../test/support/rtpSource.js';
import { waitFor } from '../../test/support/testAula.js';
import type { Benchmark } from '../run.js';

const TRACKS = { video: 2, audio: 2 };
const WINDOW_MS = 20_000;
const TICKS_PER_SECOND = 100;

/** CPU time (ms) a process used so far, from /proc. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * The recorder alone, on a real worker and Debian's ffmpeg: ffmpeg senders
 * (VP8 and Opus, their CPU not counted) produce into a router; the recorder
 * consumes each into a WebM file. CPU per recorded track is the recorders'
 * ffmpeg plus the worker's extra CPU while recording (against a window with
 * the same senders and no recorder), as a share of one core; bytes are the
 * files' against what the senders sent.
 */
export const recording: Benchmark = {
  name: 'recording',
  description: `${TRACKS.video} VP8 and ${TRACKS.audio} Opus tracks recorded for ${WINDOW_MS / 1000} s`,
  async run() {
    const logger = createLogger({ level: 'silent' });
    const worker = await mediasoup.createWorker({ workerBin: process.env.MEDIASOUP_WORKER_BIN } as never);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-bench-recording-'));
    const sources: RtpSource[] = [];
    try {
      const router = await worker.createRouter({ mediaCodecs });
      for (const kind of ['video', 'audio'] as const) {
        for (let i = 0; i < TRACKS[kind]; i += 1) sources.push(await RtpSource.start(router, kind));
      }
      await waitFor(
        async () => (await Promise.all(sources.map((s) => s.receivedBytes()))).every((b) => b > 0),
        {
          timeoutMs: 30_000,
          what: 'every sender',
        },
      );
      // Without the recorder: the worker's CPU for receiving alone.
      let workerBefore = cpuMs(worker.pid);
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const idleWorkerMs = cpuMs(worker.pid) - workerBefore;

      const segments = await Promise.all(
        sources.map((source, i) =>
          TrackSegment.start({
            router,
            producerId: source.producer.id,
            file: path.join(dir, `${i}.webm`),
            ffmpegPath: process.env.AULA_FFMPEG_PATH ?? 'ffmpeg',
            logger,
          }),
        ),
      );
      const sentBefore = await Promise.all(sources.map((s) => s.receivedBytes()));
      workerBefore = cpuMs(worker.pid);
      const ffmpegBefore = segments.map((segment) => cpuMs(segment.ffmpegPid!));
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const recordingWorkerMs = cpuMs(worker.pid) - workerBefore;
      const ffmpegMs = segments.map((segment, i) => cpuMs(segment.ffmpegPid!) - ffmpegBefore[i]!);
      const results = await Promise.all(segments.map((segment) => segment.stop()));
      const sentAfter = await Promise.all(sources.map((s) => s.receivedBytes()));

      const tracks = segments.length;
      const perTrackCorePercent =
        ((ffmpegMs.reduce((a, b) => a + b, 0) + Math.max(0, recordingWorkerMs - idleWorkerMs)) /
          tracks /
          WINDOW_MS) *
        100;
      // Bytes: the whole file against everything the producer received while the recorder ran
      // (the file holds a little less at each end: it starts at a keyframe, stops at a signal).
      const recorded = results.reduce((sum, result) => sum + result.bytes, 0);
      const consumerSent = results.reduce((sum, result) => sum + result.sentBytes, 0);
      const producerReceived = sentAfter.reduce((sum, after, i) => sum + after - sentBefore[i]!, 0);
      // What the senders' media was: RTP bytes without each packet's fixed 12-byte header (the
      // recorder consumes without header extensions, so nothing else is added to each packet).
      const sentMedia = results.reduce((sum, result) => sum + result.sentBytes - 12 * result.sentPackets, 0);
      const perKind = (kind: 'video' | 'audio') =>
        results
          .filter((_, i) => sources[i]!.producer.kind === kind)
          .reduce((ratio, result, _, all) => ratio + result.bytes / result.sentBytes / all.length, 0);
      return {
        settings: { tracks: TRACKS, windowMs: WINDOW_MS },
        results: {
          cpuPerTrackCorePercent: Number(perTrackCorePercent.toFixed(2)),
          ffmpegCpuMs: ffmpegMs,
          workerCpuMs: { idle: idleWorkerMs, recording: recordingWorkerMs },
          recordedBytes: recorded,
          consumerSentBytes: consumerSent,
          producerReceivedBytes: producerReceived,
          recordedToSentRtp: Number((recorded / consumerSent).toFixed(3)),
          recordedToSentMedia: Number((recorded / sentMedia).toFixed(3)),
          recordedToSentByKind: {
            video: Number(perKind('video').toFixed(3)),
            audio: Number(perKind('audio').toFixed(3)),
          },
          audioVideoOffsetMs: null,
        },
        summary:
          `CPU per track ${perTrackCorePercent.toFixed(2)} % of a core; recorded ÷ sent ` +
          `${(recorded / sentMedia).toFixed(3)} (media), ${(recorded / consumerSent).toFixed(3)} (RTP bytes); A/V offset not measured`,
      };
    } finally {
      for (const source of sources) source.stop();
      worker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
