import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { packPoints, readShape, unpackPoints } from '@protocol';
import { BoardSession } from '@/board/BoardSession';
import type { CollabChannel } from '@/collab/CollabProvider';

// A pen stroke's points are sent as they come and kept packed once the pen
// lifts; boards drawn before, with the points as plain numbers, read the same.

/** A channel that is never opened: the session's document only. */
const offline: CollabChannel = {
  on: () => () => undefined,
  request: () => Promise.reject(new Error('offline')),
};

const STROKE = [120.3, 88.1, 0.5, 124.7, 90.2, 0.55, 131.1, 97.9, 0.6, 140, 101.4, 0.42];

describe('stroke points', () => {
  it('packs x, y and pressure to a few bytes a point and unpacks them unchanged', () => {
    const packed = packPoints(STROKE);
    expect(packed.byteLength).toBeLessThan(STROKE.length * 2);
    expect(unpackPoints(packed, 1000)).toEqual(STROKE);
    const long = Array.from({ length: 3000 }, (_, i) => (i % 3 === 2 ? 0.5 : 100 + i / 10));
    expect(packPoints(long).byteLength).toBeLessThan(long.length * 1.5);
  });

  it('reads nothing from bytes that are no packing: another version, a varint cut short, too many points', () => {
    expect(unpackPoints(new Uint8Array([7, 1, 2, 3]), 1000)).toBeNull();
    expect(unpackPoints(new Uint8Array([1, 0xff]), 1000)).toBeNull();
    expect(unpackPoints(packPoints(STROKE), 6)).toBeNull();
    expect(readShape({ id: 'a', t: 'pen', c: '#000000', w: 4, pts: new Uint8Array([9]) })).toBeNull();
  });

  it('keeps a finished pen stroke packed in the document, read as the points drawn, and undoes it in one step', () => {
    const session = new BoardSession(offline, { kind: 'board', group: null });
    const shape = session.add('b:1', { t: 'pen', c: '#1971c2', w: 4, pts: STROKE.slice(0, 3) });
    session.extend(shape, STROKE.slice(3, 6));
    session.extend(shape, STROKE.slice(6));
    expect(shape.get('pts')).toBeInstanceOf(Y.Array);
    session.endStroke(shape);

    expect(shape.get('pts')).toBeInstanceOf(Uint8Array);
    expect(session.shapes('b:1').map((drawn) => drawn.pts)).toEqual([STROKE]);
    // The page after it: the same stroke, from the document's bytes.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(session.doc));
    const json = other.getArray<Y.Map<unknown>>('page/b:1').get(0).toJSON();
    expect(readShape(json)?.pts).toEqual(STROKE);

    session.undo.undo();
    expect(session.shapes('b:1')).toEqual([]);
    session.undo.redo();
    expect(session.shapes('b:1').map((drawn) => drawn.pts)).toEqual([STROKE]);
    session.destroy();
  });

  it('reads a stroke drawn before the packing, its points a shared array of numbers', () => {
    const doc = new Y.Doc();
    const shape = new Y.Map<unknown>();
    doc.transact(() => {
      shape.set('id', 'old-1');
      shape.set('t', 'pen');
      shape.set('c', '#e03131');
      shape.set('w', 4);
      const pts = new Y.Array<number>();
      pts.push(STROKE);
      shape.set('pts', pts);
      doc.getArray('page/b:1').push([shape]);
    });
    expect(readShape(shape.toJSON())).toMatchObject({ id: 'old-1', t: 'pen', pts: STROKE });
  });

  it('leaves the points of a shape that is not a pen stroke as they are', () => {
    const session = new BoardSession(offline, { kind: 'board', group: null });
    const line = session.add('b:1', { t: 'line', c: '#1971c2', w: 4, pts: [10, 10, 200, 80.5] });
    session.endStroke(line);
    expect(line.get('pts')).toEqual([10, 10, 200, 80.5]);
    session.destroy();
  });
});
