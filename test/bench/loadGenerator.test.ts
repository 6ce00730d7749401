import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReceiveCounter } from '../../bench/load/ReceiveCounter.js';
import { keyFrameRequests } from '../../bench/load/syntheticMedia.js';
import { bindingRequest, packetKind } from '../../bench/load/stun.js';

function rtp(ssrc: number, seq: number, payloadBytes = 100): Buffer {
  const packet = Buffer.alloc(12 + payloadBytes);
  packet[0] = 0x80;
  packet[1] = 96;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

// The SFU benchmark's numbers are only as good as the generator's counting and signalling.
describe('SFU load generator', () => {
  it('counts loss across a sequence-number rollover and ignores reordering', () => {
    const counter = new ReceiveCounter();
    const sent = Array.from({ length: 40 }, (_, i) => (0xfff0 + i) & 0xffff);
    const lost = new Set([sent[5], sent[20], sent[21]]);
    const arrived = sent.filter((seq) => !lost.has(seq));
    // Two packets swap places on the way.
    [arrived[10], arrived[11]] = [arrived[11]!, arrived[10]!];
    for (const seq of arrived) counter.record(rtp(7, seq));
    for (let i = 0; i < 5; i += 1) counter.record(rtp(8, 100 + i, 50));

    const totals = counter.totals();
    expect(totals.expected).toBe(45);
    expect(totals.packets).toBe(42);
    expect(totals.bytes).toBe(37 * 112 + 5 * 62);
  });

  it('finds the media SSRCs of PLI and FIR in a compound RTCP packet', () => {
    const receiverReport = Buffer.alloc(8);
    receiverReport.writeUInt8(0x80, 0);
    receiverReport.writeUInt8(201, 1);
    receiverReport.writeUInt16BE(1, 2);
    const pli = Buffer.alloc(12);
    pli.writeUInt8(0x81, 0);
    pli.writeUInt8(206, 1);
    pli.writeUInt16BE(2, 2);
    pli.writeUInt32BE(1111, 8);
    const fir = Buffer.alloc(20);
    fir.writeUInt8(0x84, 0);
    fir.writeUInt8(206, 1);
    fir.writeUInt16BE(4, 2);
    fir.writeUInt32BE(2222, 12);
    expect(keyFrameRequests(Buffer.concat([receiverReport, pli, fir]))).toEqual([1111, 2222]);
  });

  it('signs its ICE checks as RFC 5389 asks', () => {
    const password = 'remote-password';
    const request = bindingRequest({ remoteUsernameFragment: 'ufrag', remotePassword: password });
    expect(packetKind(request)).toBe('stun');
    expect(request.readUInt16BE(2)).toBe(request.length - 20);
    // MESSAGE-INTEGRITY is followed by FINGERPRINT (8 bytes): check the HMAC over what precedes it.
    const integrityAt = request.length - 8 - 24;
    expect(request.readUInt16BE(integrityAt)).toBe(0x0008);
    const covered = Buffer.from(request.subarray(0, integrityAt));
    covered.writeUInt16BE(integrityAt + 24 - 20, 2);
    const hmac = crypto.createHmac('sha1', password).update(covered).digest();
    expect(request.subarray(integrityAt + 4, integrityAt + 24)).toEqual(hmac);
    expect(request.subarray(20).toString('latin1')).toContain('ufrag:aulaload');
  });
});
