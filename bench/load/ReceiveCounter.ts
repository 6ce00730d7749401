interface StreamCount {
  packets: number;
  bytes: number;
  /** Extended (rollover-counted) sequence numbers. */
  firstSeq: number;
  highestSeq: number;
}

export interface ReceiveTotals {
  packets: number;
  bytes: number;
  /** Packets the sequence numbers say were sent; more than `packets` means loss. */
  expected: number;
}

/**
 * Counts what one participant receives, per SSRC, from the clear RTP header of
 * SRTP packets (RFC 3711 leaves it unencrypted): no decryption, so counting
 * costs the generator almost nothing.
 */
export class ReceiveCounter {
  private readonly streams = new Map<number, StreamCount>();

  record(packet: Buffer): void {
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.streams.get(ssrc);
    if (!stream) {
      this.streams.set(ssrc, { packets: 1, bytes: packet.length, firstSeq: seq, highestSeq: seq });
      return;
    }
    stream.packets += 1;
    stream.bytes += packet.length;
    const cycle = stream.highestSeq - (stream.highestSeq & 0xffff);
    let extended = cycle + seq;
    // Pick the rollover cycle closest to the highest sequence seen.
    if (extended - stream.highestSeq < -0x8000) extended += 0x10000;
    else if (extended - stream.highestSeq > 0x8000) extended -= 0x10000;
    if (extended > stream.highestSeq) stream.highestSeq = extended;
  }

  totals(): ReceiveTotals {
    let packets = 0;
    let bytes = 0;
    let expected = 0;
    for (const stream of this.streams.values()) {
      packets += stream.packets;
      bytes += stream.bytes;
      expected += stream.highestSeq - stream.firstSeq + 1;
    }
    return { packets, bytes, expected };
  }
}
