// The whiteboard benchmark's synthetic lesson: the board a class leaves
// after 45 minutes, built the way the page builds strokes.
import * as Y from 'yjs';
import { packPoints } from '../../src/protocol/index.js';

/** 30 students and a teacher, 45 minutes, a stroke each every 20 s on average. */
export const LESSON = { students: 30, minutes: 45, strokeEverySeconds: 20, pointsPerStroke: 60 };

/** A pen stroke's x, y, pressure triples, in tenths of a unit as the page rounds them. */
export function strokePoints(count: number, seed: number): number[] {
  const points: number[] = [];
  for (let i = 0; i < count; i += 1)
    points.push(
      Math.round((100 + ((seed * 37) % 700) + i * 4) * 10) / 10,
      Math.round((100 + Math.sin(i / 3) * 40 + ((seed * 13) % 300)) * 10) / 10,
      0.5,
    );
  return points;
}

/**
 * A board after a lesson: every participant's strokes as their own Yjs
 * client (a Y.Map per shape, the points sent in a Y.Array while the pen
 * moves and packed when it lifts), some erased or undone. Answers the
 * document's size in bytes.
 */
export function syntheticLessonBytes(): number {
  const server = new Y.Doc();
  const strokes = Math.round((LESSON.minutes * 60) / LESSON.strokeEverySeconds);
  for (let person = 0; person <= LESSON.students; person += 1) {
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(server));
    const shapes = page.getArray<Y.Map<unknown>>(`page/b:${1 + (person % 4)}`);
    for (let i = 0; i < strokes; i += 1) {
      const shape = new Y.Map<unknown>();
      const pts = new Y.Array<number>();
      page.transact(() => {
        shape.set('id', `${page.clientID.toString(36)}-${i}`);
        shape.set('t', 'pen');
        shape.set('c', '#1971c2');
        shape.set('w', 4);
        shape.set('pts', pts);
        shapes.push([shape]);
      });
      // Points arrive in frames while the pen moves, as the page sends them.
      const all = strokePoints(LESSON.pointsPerStroke, i + person * 1000);
      for (let at = 0; at < all.length; at += 15) page.transact(() => pts.push(all.slice(at, at + 15)));
      // The pen lifts: the page keeps the stroke's points packed from now on.
      page.transact(() => shape.set('pts', packPoints(all)));
      // One stroke in ten is erased or undone again.
      if (i % 10 === 9) shapes.delete(shapes.length - 1, 1);
    }
    Y.applyUpdate(server, Y.encodeStateAsUpdate(page));
  }
  return Y.encodeStateAsUpdate(server).byteLength;
}
