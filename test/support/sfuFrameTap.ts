import dgram from 'node:dgram';
import { observer, type types } from 'mediasoup';

/**
 * What the SFU forwards of one producer, read as any party on the server's
 * side could: a consumer on a PlainTransport to a UDP socket of the test,
 * its RTP reassembled into VP8 frames (payload descriptor stripped).
 */
export class SfuFrameTap {
  readonly frames: Uint8Array[] = [];
  private readonly pending = new Map<number, Array<{ seq: number; payload: Uint8Array; start: boolean }>>();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly transport: types.PlainTransport,
  ) {
    socket.on('message', (packet) => this.take(new Uint8Array(packet)));
  }

  static async open(router: types.Router, producerId: string): Promise<SfuFrameTap> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const transport = await router.createPlainTransport({
      listenIp: { ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: false,
    });
    await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
    const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
    await consumer.requestKeyFrame();
    return new SfuFrameTap(socket, transport);
  }

  close(): void {
    this.transport.close();
    this.socket.close();
  }

  private take(packet: Uint8Array): void {
    // RTCP (sender reports and the like: packet types 200–206 where RTP has marker and payload type).
    if (packet.length < 12 || (packet[1]! >= 200 && packet[1]! <= 206)) return;
    const csrcs = packet[0]! & 0x0f;
    let offset = 12 + csrcs * 4;
    if (packet[0]! & 0x10) offset += 4 + ((packet[offset + 2]! << 8) | packet[offset + 3]!) * 4;
    const end = packet[0]! & 0x20 ? packet.length - packet[packet.length - 1]! : packet.length;
    if (end <= offset) return; // padding only
    const marker = (packet[1]! & 0x80) !== 0;
    const seq = (packet[2]! << 8) | packet[3]!;
    const timestamp = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    // VP8 payload descriptor (RFC 7741).
    const first = packet[offset]!;
    const start = (first & 0x10) !== 0 && (first & 0x07) === 0;
    let at = offset + 1;
    if (first & 0x80) {
      const extensions = packet[at++]!;
      if (extensions & 0x80) at += packet[at]! & 0x80 ? 2 : 1;
      if (extensions & 0x40) at += 1;
      if (extensions & 0x30) at += 1;
    }
    const parts = this.pending.get(timestamp) ?? [];
    parts.push({ seq, payload: packet.slice(at, end), start });
    this.pending.set(timestamp, parts);
    if (!marker) return;
    this.pending.delete(timestamp);
    parts.sort((a, b) => a.seq - b.seq);
    if (!parts[0]!.start) return; // its first packet was lost
    const frame = new Uint8Array(parts.reduce((sum, part) => sum + part.payload.length, 0));
    let written = 0;
    for (const part of parts) {
      frame.set(part.payload, written);
      written += part.payload.length;
    }
    this.frames.push(frame);
  }
}

/** Every router and producer mediasoup creates in this process from now on. */
export function watchMediasoup(): Array<{ router: types.Router; producer: types.Producer }> {
  const producers: Array<{ router: types.Router; producer: types.Producer }> = [];
  observer.on('newworker', (worker) =>
    worker.observer.on('newrouter', (router) =>
      router.observer.on('newtransport', (transport) =>
        transport.observer.on('newproducer', (producer) => producers.push({ router, producer })),
      ),
    ),
  );
  return producers;
}
