import { describe, expect, it } from 'vitest';
import { clearBytes, decryptFrame, encryptFrame, FRAME_OVERHEAD } from '@/e2ee/frameFormat';
import { frameKey, newMediaSecret, ratchet } from '@/e2ee/keySchedule';

/** A VP8 keyframe's first bytes: frame tag (bit 0 clear), start code, 640x480; then the payload. */
const keyframe = () =>
  new Uint8Array([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, ...Array(200).fill(0x33)]);
const deltaFrame = () => new Uint8Array([0x31, 0x0a, 0x00, ...Array(80).fill(0x44)]);
const opusFrame = () => new Uint8Array([0x78, ...Array(60).fill(0x55)]);

describe('the encrypted frame format', () => {
  it('leaves 10 bytes of a VP8 keyframe, 3 of a delta frame and the Opus TOC byte clear', () => {
    expect(clearBytes('video', keyframe())).toBe(10);
    expect(clearBytes('video', deltaFrame())).toBe(3);
    expect(clearBytes('audio', opusFrame())).toBe(1);
  });

  it('seals the rest, keeps the header byte for byte and opens to the frame that was sent', async () => {
    const key = await frameKey(newMediaSecret());
    for (const [kind, frame] of [
      ['video', keyframe()],
      ['video', deltaFrame()],
      ['audio', opusFrame()],
    ] as const) {
      const sealed = await encryptFrame(kind, frame, key, 7);
      const clear = clearBytes(kind, frame);
      expect(sealed.length).toBe(frame.length + FRAME_OVERHEAD);
      expect([...sealed.subarray(0, clear)]).toEqual([...frame.subarray(0, clear)]);
      // The payload does not appear in the clear anywhere after the header.
      expect([...sealed.subarray(clear, frame.length)]).not.toEqual([...frame.subarray(clear)]);
      expect(sealed[sealed.length - 1]).toBe(7);
      expect([...(await decryptFrame(kind, sealed, key, 7))!]).toEqual([...frame]);
    }
  });

  it('drops a frame sealed with another key, for another epoch, altered in its header or not encrypted at all', async () => {
    const secret = newMediaSecret();
    const key = await frameKey(secret);
    const sealed = await encryptFrame('video', keyframe(), key, 3);
    expect(await decryptFrame('video', sealed, await frameKey(newMediaSecret()), 3)).toBeNull();
    expect(await decryptFrame('video', sealed, await frameKey(await ratchet(secret)), 3)).toBeNull();
    expect(await decryptFrame('video', sealed, key, 4)).toBeNull();
    const alteredHeader = sealed.slice();
    alteredHeader[7] = alteredHeader[7]! ^ 0x01;
    expect(await decryptFrame('video', alteredHeader, key, 3)).toBeNull();
    const alteredBody = sealed.slice();
    alteredBody[20] = alteredBody[20]! ^ 0x01;
    expect(await decryptFrame('video', alteredBody, key, 3)).toBeNull();
    expect(await decryptFrame('video', keyframe(), key, 3)).toBeNull();
  });
});

describe('the key schedule', () => {
  it('ratchets one way to a different secret, the same on every page', async () => {
    const secret = newMediaSecret();
    const next = await ratchet(secret);
    expect(next.length).toBe(32);
    expect([...next]).not.toEqual([...secret]);
    expect([...(await ratchet(secret))]).toEqual([...next]);
    expect([...(await ratchet(next))]).not.toEqual([...secret]);
  });
});
