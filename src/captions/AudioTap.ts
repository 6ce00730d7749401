import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { types } from 'mediasoup';
import type { Logger } from '../shared/logger.js';
import { PCM_SAMPLE_RATE } from './speechEngine.js';
import { freeUdpPortPair } from './udpPorts.js';

type AudioTapEvents = {
  /** 16 kHz mono s16le PCM, as ffmpeg decodes it. */
  pcm: [chunk: Buffer];
  /** The producer closed, ffmpeg exited or `close()` was called. */
  closed: [];
};

export interface AudioTapOptions {
  /** The router that carries the producer (its origin, or a router it is piped to). */
  router: types.Router;
  producerId: string;
  ffmpegPath: string;
  logger: Logger;
}

/** ffmpeg's SDP for one Opus stream sent by mediasoup to 127.0.0.1 (RTCP on the next port). */
export function opusSdp(rtpPort: number, codec: types.RtpCodecParameters): string {
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=aula-captions',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${rtpPort} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} opus/${codec.clockRate}/${codec.channels ?? 2}`,
    'a=recvonly',
    '',
  ].join('\n');
}

/**
 * One microphone taken out of the SFU as PCM: a mediasoup PlainTransport
 * (no ICE/DTLS, RTP to 127.0.0.1) with a consumer of the producer, sending to
 * ffmpeg, which reads the stream's SDP on standard input and decodes Opus to
 * 16 kHz mono PCM on standard output. Nothing leaves this machine.
 */
export class AudioTap extends EventEmitter<AudioTapEvents> {
  private closed = false;

  private constructor(
    private readonly transport: types.PlainTransport,
    private readonly consumer: types.Consumer,
    private readonly ffmpeg: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly logger: Logger,
  ) {
    super();
    ffmpeg.stdout.on('data', (chunk: Buffer) => this.emit('pcm', chunk));
    let stderr = '';
    ffmpeg.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    ffmpeg.on('exit', (code, signal) => {
      if (!this.closed) {
        logger.warn({ code, signal, stderr: stderr.slice(-500) }, 'AudioTap() | ffmpeg exited');
      }
      this.close();
    });
    consumer.on('producerclose', () => this.close());
    consumer.on('transportclose', () => this.close());
  }

  static async open({ router, producerId, ffmpegPath, logger }: AudioTapOptions): Promise<AudioTap> {
    const rtpPort = await freeUdpPortPair();
    const transport = await router.createPlainTransport({
      listenIp: { ip: '127.0.0.1' },
      rtcpMux: false,
      comedia: false,
      appData: { purpose: 'captions' },
    });
    try {
      await transport.connect({ ip: '127.0.0.1', port: rtpPort, rtcpPort: rtpPort + 1 });
      const consumer = await transport.consume({
        producerId,
        rtpCapabilities: router.rtpCapabilities,
        paused: true,
        appData: { purpose: 'captions' },
      });
      const codec = consumer.rtpParameters.codecs[0];
      if (!codec || codec.mimeType.toLowerCase() !== 'audio/opus') {
        throw new Error(`Captions need an Opus producer, not ${codec?.mimeType ?? 'nothing'}`);
      }
      const ffmpeg = spawn(
        ffmpegPath,
        [
          ...['-hide_banner', '-loglevel', 'error'],
          ...['-protocol_whitelist', 'pipe,udp,rtp'],
          // Decode from the first packet: the SDP already says what the stream is.
          ...['-fflags', 'nobuffer', '-flags', 'low_delay', '-probesize', '32', '-analyzeduration', '0'],
          ...['-f', 'sdp', '-i', 'pipe:0'],
          ...['-vn', '-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-f', 's16le', '-flush_packets', '1'],
          'pipe:1',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      const tap = new AudioTap(transport, consumer, ffmpeg, logger);
      ffmpeg.on('error', (error) => {
        logger.warn({ err: error, ffmpegPath }, 'open() | ffmpeg did not start');
        tap.close();
      });
      ffmpeg.stdin.on('error', () => undefined);
      ffmpeg.stdin.end(opusSdp(rtpPort, codec));
      await consumer.resume();
      logger.debug({ producerId, rtpPort }, 'open() | audio tap open');
      return tap;
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  get producerId(): string {
    return this.consumer.producerId;
  }

  /** Idempotent: the consumer and transport close, ffmpeg ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
    if (this.ffmpeg.exitCode === null && this.ffmpeg.signalCode === null) this.ffmpeg.kill('SIGTERM');
    this.emit('closed');
  }
}
