// An encrypted frame: the codec's header left clear (so the SFU's simulcast,
// dynacast and keyframe handling keep working), the rest sealed with AES-GCM
// with the clear bytes as additional data, then the IV and the key's epoch.
//
//   | clear header | ciphertext + 16-byte tag | 12-byte IV | epoch (1 byte) |
//
// VP8: 10 clear bytes of a keyframe (frame tag, start code, size), 3 of a
// delta frame (frame tag). Opus: the TOC byte.

export type FrameKind = 'audio' | 'video';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** Bytes an encrypted frame adds: tag, IV and epoch. */
export const FRAME_OVERHEAD = TAG_BYTES + IV_BYTES + 1;

/** How many bytes of this frame stay clear. A VP8 keyframe has bit 0 of its first byte clear. */
export function clearBytes(kind: FrameKind, frame: Uint8Array): number {
  if (kind === 'audio') return Math.min(1, frame.length);
  const keyframe = frame.length > 0 && (frame[0]! & 0x01) === 0;
  return Math.min(keyframe ? 10 : 3, frame.length);
}

/** The epoch's low byte, as frames carry it. */
export const epochByte = (epoch: number): number => epoch & 0xff;

function additionalData(header: Uint8Array, epoch: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(header.length + 1);
  data.set(header);
  data[header.length] = epochByte(epoch);
  return data;
}

export async function encryptFrame(
  kind: FrameKind,
  frame: Uint8Array,
  key: CryptoKey,
  epoch: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const clear = clearBytes(kind, frame);
  const header = frame.subarray(0, clear);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(header, epoch) },
      key,
      frame.slice(clear),
    ),
  );
  const out = new Uint8Array(clear + sealed.length + IV_BYTES + 1);
  out.set(header, 0);
  out.set(sealed, clear);
  out.set(iv, clear + sealed.length);
  out[out.length - 1] = epochByte(epoch);
  return out;
}

/** The epoch byte a frame says it was sealed with; undefined for a frame too short to be one. */
export function frameEpochByte(frame: Uint8Array): number | undefined {
  return frame.length >= FRAME_OVERHEAD ? frame[frame.length - 1] : undefined;
}

/**
 * The frame as sent, or null when it does not authenticate under the key
 * (another key, altered, not encrypted at all): such a frame is dropped.
 */
export async function decryptFrame(
  kind: FrameKind,
  frame: Uint8Array,
  key: CryptoKey,
  epoch: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (frame.length < FRAME_OVERHEAD || frame[frame.length - 1] !== epochByte(epoch)) return null;
  const clear = clearBytes(kind, frame);
  if (frame.length < clear + FRAME_OVERHEAD) return null;
  const header = frame.subarray(0, clear);
  const ivStart = frame.length - 1 - IV_BYTES;
  try {
    const opened = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: frame.slice(ivStart, ivStart + IV_BYTES),
          additionalData: additionalData(header, epoch),
        },
        key,
        frame.slice(clear, ivStart),
      ),
    );
    const out = new Uint8Array(clear + opened.length);
    out.set(header, 0);
    out.set(opened, clear);
    return out;
  } catch {
    return null;
  }
}
