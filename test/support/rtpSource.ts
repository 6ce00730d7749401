import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';

/**
 * A sender without a browser: ffmpeg encodes a test picture (VP8) or tone
 * (Opus) and sends it as RTP to a mediasoup PlainTransport, which produces
 * it like a page's camera or microphone.
 */
export class RtpSource {
  private constructor(
    readonly producer: types.Producer,
    private readonly transport: types.PlainTransport,
    private readonly ffmpeg: ChildProcess,
  ) {}

  static async start(
    router: types.Router,
    kind: types.MediaKind,
    appData: Record<string, unknown> = {},
  ): Promise<RtpSource> {
    // ffmpeg sends RTP and RTCP from two sockets: comedia learns each from its own port.
    const transport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: false,
      comedia: true,
    });
    const ssrc = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    const video = kind === 'video';
    const payloadType = video ? 101 : 100;
    const producer = await transport.produce({
      kind,
      appData,
      rtpParameters: {
        codecs: [
          video
            ? { mimeType: 'video/VP8', payloadType, clockRate: 90_000 }
            : { mimeType: 'audio/opus', payloadType, clockRate: 48_000, channels: 2 },
        ],
        encodings: [{ ssrc }],
      },
    });
    const input = video
      ? ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15']
      : ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
    const codec = video
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '30']
      : ['-c:a', 'libopus', '-b:a', '32k', '-ac', '2'];
    const port = transport.tuple.localPort;
    const rtcpPort = transport.rtcpTuple!.localPort;
    const ffmpeg = spawn(
      'ffmpeg',
      [
        ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', ...input, ...codec],
        ...['-f', 'rtp', '-ssrc', String(ssrc), '-payload_type', String(payloadType)],
        `rtp://127.0.0.1:${port}?rtcpport=${rtcpPort}&pkt_size=1200`,
      ],
      { stdio: 'ignore' },
    );
    return new RtpSource(producer, transport, ffmpeg);
  }

  /** RTP bytes the producer received so far. */
  async receivedBytes(): Promise<number> {
    const stats = await this.producer.getStats();
    return stats.reduce((sum, entry) => sum + entry.byteCount, 0);
  }

  stop(): void {
    this.ffmpeg.kill('SIGKILL');
    this.transport.close();
  }
}
