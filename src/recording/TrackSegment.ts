import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { types } from 'mediasoup';
import { spatialLayersOf } from '../media/layerPolicy.js';
import type { Logger } from '../shared/logger.js';
import { rtpSdp } from './rtpSdp.js';
import { freeRtpPorts, isBound } from './udpPorts.js';

/** How a segment ended: stopped by Aula, or ffmpeg went away (crashed, or the disk filled). */
export type SegmentOutcome = 'closed' | 'crashed' | 'diskFull';

export interface SegmentResult {
  file: string;
  /** Wall-clock time of the segment's first media (a video segment starts at its first keyframe). */
  startedAt: number | null;
  endedAt: number;
  bytes: number;
  /** What the recorder's consumer sent to ffmpeg (RTP payload and headers), for the bench. */
  sentBytes: number;
  sentPackets: number;
  outcome: SegmentOutcome;
}

export interface TrackSegmentOptions {
  router: types.Router;
  producerId: string;
  /** Absolute path of the WebM file to write. */
  file: string;
  ffmpegPath: string;
  logger: Logger;
}

type TrackSegmentEvents = {
  /** ffmpeg exited without being asked to (crash, full disk); the segment is closed. */
  ended: [result: SegmentResult];
  /** The recorded producer closed (its sender stopped it or left): the segment should stop. */
  producerClosed: [];
};

const BIND_WAIT_MS = 15_000;
const STOP_WAIT_MS = 5_000;
const SECOND_SIGNAL_MS = 300;
const KEYFRAME_RETRY_MS = 1_000;

/**
 * One recorded segment of one track: a paused mediasoup consumer on a
 * PlainTransport sending RTP to an ffmpeg that copies it, without
 * re-encoding, into a WebM file. The consumer resumes only once ffmpeg
 * listens, and asks for keyframes until one went out.
 */
export class TrackSegment extends EventEmitter<TrackSegmentEvents> {
  private startedAt: number | null = null;
  private stopping = false;
  private finished: Promise<SegmentResult> | undefined;
  private stderr = '';
  private keyframeTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: TrackSegmentOptions,
    private readonly transport: types.PlainTransport,
    private readonly consumer: types.Consumer,
    private readonly ffmpeg: ChildProcess,
    private readonly sdpFile: string,
  ) {
    super();
  }

  static async start(options: TrackSegmentOptions): Promise<TrackSegment> {
    const { router, producerId, file, ffmpegPath } = options;
    const ports = await freeRtpPorts();
    const transport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: false,
      comedia: false,
      appData: { recording: true },
    });
    try {
      await transport.connect({ ip: '127.0.0.1', port: ports.rtp, rtcpPort: ports.rtcp });
      const consumer = await transport.consume({
        producerId,
        // No RTP header extensions: ffmpeg reads none of them (send time, congestion
        // feedback, stream ids), and each would cost every packet bytes the file never holds.
        rtpCapabilities: { ...router.rtpCapabilities, headerExtensions: [] },
        paused: true,
        appData: { recording: true },
      });
      const sdpFile = path.join(os.tmpdir(), `aula-rec-${consumer.id}.sdp`);
      await fs.writeFile(sdpFile, rtpSdp(consumer.rtpParameters, consumer.kind, ports.rtp));
      await fs.mkdir(path.dirname(file), { recursive: true });
      const ffmpeg = spawn(ffmpegPath, ffmpegArgs(sdpFile, file), { stdio: ['ignore', 'ignore', 'pipe'] });
      const segment = new TrackSegment(options, transport, consumer, ffmpeg, sdpFile);
      await segment.begin(ports.rtp);
      return segment;
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  get producerId(): string {
    return this.options.producerId;
  }

  get file(): string {
    return this.options.file;
  }

  /** The recorder's consumer, and the video layers it takes (all the sender has: the best picture). */
  get consumerId(): string {
    return this.consumer.id;
  }

  get spatialLayers(): number {
    return this.consumer.kind === 'video' ? spatialLayersOf(this.consumer.rtpParameters) : 0;
  }

  /** ffmpeg's process id: the operator (and the fault tests) may end it. */
  get ffmpegPid(): number | undefined {
    return this.ffmpeg.pid;
  }

  /** Closes the consumer and lets ffmpeg finish the file (its index written). Idempotent. */
  stop(): Promise<SegmentResult> {
    if (!this.stopping) {
      this.stopping = true;
      // ffmpeg finishes the file (clusters, cues) on SIGINT; the consumer closes after, with its count read.
      // A first SIGINT ends ffmpeg at its next packet; a track that sends nothing (a muted mic)
      // needs a second one, which interrupts the waiting read and the file's index (cues) is not
      // written: what arrived is on disk already (packets are flushed as they come).
      const signal = (name: NodeJS.Signals) => {
        if (this.ffmpeg.exitCode === null && this.ffmpeg.signalCode === null) this.ffmpeg.kill(name);
      };
      signal('SIGINT');
      const timers = [
        setTimeout(() => signal('SIGINT'), SECOND_SIGNAL_MS),
        setTimeout(() => signal('SIGKILL'), STOP_WAIT_MS),
      ];
      void this.exited().finally(() => timers.forEach(clearTimeout));
    }
    return this.exited();
  }

  private async begin(rtpPort: number): Promise<void> {
    const { ffmpeg, consumer } = this;
    ffmpeg.stderr?.setEncoding('utf8');
    ffmpeg.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4_000);
    });
    consumer.on('producerclose', () => this.emit('producerClosed'));
    const spawnFailed = new Promise<never>((_, reject) => ffmpeg.once('error', reject));
    void this.exited().then((result) => {
      if (!this.stopping) this.emit('ended', result);
    });
    // The first keyframe (video) or packet (audio) sent to ffmpeg is where the file's time starts.
    consumer.on('trace', () => {
      if (this.startedAt !== null) return;
      this.startedAt = Date.now();
      clearTimeout(this.keyframeTimer);
      void consumer.enableTraceEvent([]).catch(() => undefined);
    });
    await consumer.enableTraceEvent([consumer.kind === 'video' ? 'keyframe' : 'rtp']);
    // ffmpeg must listen before the first packet, or the keyframe asked for is lost.
    await Promise.race([waitUntilBound(rtpPort, ffmpeg), spawnFailed]);
    await consumer.resume();
    if (consumer.kind === 'video') this.askForKeyframe();
  }

  private askForKeyframe(): void {
    if (this.startedAt !== null || this.stopping || this.consumer.closed) return;
    void this.consumer.requestKeyFrame().catch(() => undefined);
    this.keyframeTimer = setTimeout(() => this.askForKeyframe(), KEYFRAME_RETRY_MS);
  }

  private exited(): Promise<SegmentResult> {
    this.finished ??= new Promise<SegmentResult>((resolve) => {
      const done = () => {
        clearTimeout(this.keyframeTimer);
        void this.result().then(resolve);
      };
      if (this.ffmpeg.exitCode !== null || this.ffmpeg.signalCode !== null) done();
      else this.ffmpeg.once('close', done);
    });
    return this.finished;
  }

  private async result(): Promise<SegmentResult> {
    const endedAt = Date.now();
    let sentBytes = 0;
    let sentPackets = 0;
    if (!this.consumer.closed) {
      const stats = await this.consumer.getStats().catch(() => []);
      const outbound = stats.find((entry) => entry.type === 'outbound-rtp');
      sentBytes = outbound?.byteCount ?? 0;
      sentPackets = outbound?.packetCount ?? 0;
    }
    this.transport.close();
    await fs.rm(this.sdpFile, { force: true });
    const bytes = await fs.stat(this.options.file).then(
      (stat) => stat.size,
      () => 0,
    );
    const diskFull = /No space left on device/i.test(this.stderr);
    const outcome: SegmentOutcome = diskFull ? 'diskFull' : this.stopping ? 'closed' : 'crashed';
    if (outcome !== 'closed') {
      this.options.logger.warn(
        { producerId: this.options.producerId, code: this.ffmpeg.exitCode, outcome },
        'TrackSegment() | ffmpeg ended on its own',
      );
    }
    return {
      file: this.options.file,
      startedAt: this.startedAt,
      endedAt,
      bytes,
      sentBytes,
      sentPackets,
      outcome,
    };
  }
}

function ffmpegArgs(sdpFile: string, file: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...['-protocol_whitelist', 'file,udp,rtp', '-reorder_queue_size', '64'],
    ...['-f', 'sdp', '-i', sdpFile],
    ...[
      '-map',
      '0',
      '-c',
      'copy',
      '-flush_packets',
      '1',
      '-cluster_time_limit',
      '1000',
      '-f',
      'webm',
      '-y',
      file,
    ],
  ];
}

async function waitUntilBound(port: number, ffmpeg: ChildProcess): Promise<void> {
  const deadline = Date.now() + BIND_WAIT_MS;
  while (!(await isBound(port))) {
    if (ffmpeg.exitCode !== null) throw new Error('TrackSegment() | ffmpeg exited before listening');
    if (Date.now() > deadline) throw new Error('TrackSegment() | ffmpeg did not listen in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
