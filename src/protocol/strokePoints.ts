// A finished pen stroke's points, packed: one byte string instead of a
// number per coordinate. While the pen moves a stroke's points travel as a
// shared array of numbers (each move sends only its new points); when the
// pen lifts, the page replaces that array with the packed form, and Yjs
// keeps only the packed bytes. Boards drawn before keep the array: readers
// take both.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** The packing's first byte: its version, so a later packing can be told apart. */
const PACKED_V1 = 1;
/** Coordinates are kept in tenths of a page unit, pressure in hundredths. */
const SCALES = [10, 10, 100] as const;

/**
 * Packs x, y, pressure triples: after the version byte, each value as a
 * signed varint of its difference from the point before (in tenths of a
 * unit, or hundredths of pressure). A pen moving a few units between
 * points costs three or four bytes a point.
 */
export function packPoints(points: readonly number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, PACKED_V1);
  const last = [0, 0, 0];
  for (let i = 0; i + 2 < points.length; i += 3) {
    for (let k = 0; k < 3; k += 1) {
      const value = Math.round(points[i + k]! * SCALES[k]!);
      encoding.writeVarInt(encoder, value - last[k]!);
      last[k] = value;
    }
  }
  return encoding.toUint8Array(encoder);
}

/** The triples of packed points; null for bytes that are no packing of ours (a page wrote them). */
export function unpackPoints(bytes: Uint8Array, maxValues: number): number[] | null {
  if (bytes.byteLength === 0 || bytes[0] !== PACKED_V1) return null;
  const decoder = decoding.createDecoder(bytes);
  decoding.readUint8(decoder);
  const points: number[] = [];
  const last = [0, 0, 0];
  try {
    while (decoding.hasContent(decoder)) {
      if (points.length + 3 > maxValues) return null;
      for (let k = 0; k < 3; k += 1) {
        last[k] = last[k]! + decoding.readVarInt(decoder);
        points.push(last[k]! / SCALES[k]!);
      }
    }
  } catch {
    // A varint cut short.
    return null;
  }
  return points;
}
