import type { Shape, ShapeTool } from '@protocol';
import { shapeBounds } from '@protocol';

/** What the toolbar offers: the shapes, plus tools that do not draw. */
export type Tool = ShapeTool | 'eraser' | 'select' | 'laser';

export const COLOURS = ['#1c1e21', '#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#ffffff'] as const;
export const WIDTHS = [2, 4, 8, 16] as const;

/** A point in page units (1000 across) from a pointer event over the element showing the page. */
export function pagePoint(
  event: PointerEvent | MouseEvent,
  element: Element,
  pageHeight: number,
): [number, number] {
  const box = element.getBoundingClientRect();
  const x = ((event.clientX - box.left) / Math.max(1, box.width)) * 1000;
  const y = ((event.clientY - box.top) / Math.max(1, box.height)) * pageHeight;
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const length = dx * dx + dy * dy;
  const t = length ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether a point (page units) touches a shape, with some slack for a finger. */
export function hits(shape: Shape, x: number, y: number, slack = 8): boolean {
  const box = shapeBounds(shape);
  if (x < box.x - slack || x > box.x + box.w + slack || y < box.y - slack || y > box.y + box.h + slack)
    return false;
  if (shape.t !== 'pen' && shape.t !== 'hl' && shape.t !== 'line' && shape.t !== 'arrow') return true;
  const [mx, my] = [shape.dx ?? 0, shape.dy ?? 0];
  const step = shape.t === 'pen' || shape.t === 'hl' ? 3 : 2;
  const p = shape.pts;
  if (p.length <= step) return true;
  for (let i = 0; i + step + 1 < p.length; i += step) {
    const d = distanceToSegment(x, y, p[i]! + mx, p[i + 1]! + my, p[i + step]! + mx, p[i + step + 1]! + my);
    if (d <= shape.w / 2 + slack) return true;
  }
  return false;
}

/** The topmost shape under a point. */
export function shapeAt(shapes: Shape[], x: number, y: number): Shape | undefined {
  for (let i = shapes.length - 1; i >= 0; i--) if (hits(shapes[i]!, x, y)) return shapes[i];
  return undefined;
}
