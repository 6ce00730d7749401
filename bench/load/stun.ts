import crypto from 'node:crypto';
import zlib from 'node:zlib';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const USERNAME = 0x0006;
const MESSAGE_INTEGRITY = 0x0008;
const PRIORITY = 0x0024;
const USE_CANDIDATE = 0x0025;
const FINGERPRINT = 0x8028;
const ICE_CONTROLLING = 0x802a;
const FINGERPRINT_XOR = 0x5354554e;

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function header(bodyLength: number, transactionId: Buffer): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt16BE(BINDING_REQUEST, 0);
  head.writeUInt16BE(bodyLength, 2);
  head.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(head, 8);
  return head;
}

/**
 * The ICE connectivity check a controlling browser sends an ICE-lite server
 * (RFC 8445 §7.2.2, RFC 5389): mediasoup only accepts media from an address
 * that passed one, and nominates it on USE-CANDIDATE.
 */
export function bindingRequest(ice: { remoteUsernameFragment: string; remotePassword: string }): Buffer {
  const transactionId = crypto.randomBytes(12);
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e0001ff, 0);
  const attributes = Buffer.concat([
    attribute(USERNAME, Buffer.from(`${ice.remoteUsernameFragment}:aulaload`)),
    attribute(PRIORITY, priority),
    attribute(ICE_CONTROLLING, crypto.randomBytes(8)),
    attribute(USE_CANDIDATE, Buffer.alloc(0)),
  ]);
  // MESSAGE-INTEGRITY covers the header with a length that already counts it.
  const integrityInput = Buffer.concat([header(attributes.length + 24, transactionId), attributes]);
  const integrity = crypto.createHmac('sha1', ice.remotePassword).update(integrityInput).digest();
  const signed = Buffer.concat([attributes, attribute(MESSAGE_INTEGRITY, integrity)]);
  const fingerprintInput = Buffer.concat([header(signed.length + 8, transactionId), signed]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((zlib.crc32(fingerprintInput) ^ FINGERPRINT_XOR) >>> 0, 0);
  return Buffer.concat([fingerprintInput, attribute(FINGERPRINT, crc)]);
}

/** RFC 7983 demultiplexing by the first byte, and RFC 5761 for RTP against RTCP. */
export function packetKind(packet: Buffer): 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'other' {
  const first = packet[0] ?? 0;
  if (first < 4) return 'stun';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191 && packet.length >= 12) {
    const payloadType = (packet[1] ?? 0) & 0x7f;
    return payloadType >= 64 && payloadType <= 95 ? 'rtcp' : 'rtp';
  }
  return 'other';
}
