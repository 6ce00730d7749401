// What the whiteboard document holds and how a shape becomes a path: one
// module for the page that draws it and the server that exports it, so an
// exported PDF shows what the class saw. The document is written by pages,
// so every shape is read through its schema; anything else is skipped.
import { getStroke } from 'perfect-freehand';
import { z } from 'zod';
import { unpackPoints } from './strokePoints.js';

/** Pages are 1000 units wide; a blank board page is 16:9. */
export const PAGE_WIDTH = 1000;
export const BOARD_PAGE_HEIGHT = 562.5;

export const SHAPE_TOOLS = ['pen', 'hl', 'line', 'arrow', 'rect', 'ellipse', 'text'] as const;
export type ShapeTool = (typeof SHAPE_TOOLS)[number];

const MAX_POINT_VALUES = 30_000;
const coordinate = z.number().finite().min(-10_000).max(10_000);

export const shapeSchema = z.object({
  id: z.string().min(1).max(64),
  t: z.enum(SHAPE_TOOLS),
  /** Colour, `#rrggbb`. */
  c: z.string().regex(/^#[0-9a-f]{6}$/i),
  /** Width in page units. */
  w: z.number().min(0.5).max(80),
  /**
   * pen, hl: x, y, pressure triples; line, arrow, rect, ellipse: x1, y1, x2,
   * y2; text: x, y. A finished pen stroke keeps them packed (strokePoints.ts).
   */
  pts: z.array(coordinate).max(MAX_POINT_VALUES),
  text: z.string().max(2000).optional(),
  /** Moved by this much since drawn. */
  dx: coordinate.optional(),
  dy: coordinate.optional(),
});
export type Shape = z.infer<typeof shapeSchema>;

/** The shared type that holds a page's shapes: `page/b:<id>` (a blank page) or `page/s:<deck>:<n>` (a slide). */
export function pageType(pageKey: string): string {
  return `page/${pageKey}`;
}

export function slidePageKey(deckId: string, page: number): string {
  return `s:${deckId}:${page}`;
}

/** A shape read from the document; null for anything a page should not have written. */
export function readShape(value: unknown): Shape | null {
  const pts = (value as { pts?: unknown } | null)?.pts;
  if (pts instanceof Uint8Array) {
    const points = unpackPoints(pts, MAX_POINT_VALUES);
    if (!points) return null;
    value = { ...(value as object), pts: points };
  }
  const parsed = shapeSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface ShapePath {
  /** SVG path data in page units, with the shape's move applied. */
  d: string;
  /** Filled outline (a pen stroke) rather than a stroked line. */
  fill: boolean;
  opacity: number;
}

const n = (value: number) => Math.round(value * 10) / 10;

/** The path of a shape (text has none: it is drawn as text at `pts[0], pts[1]`). */
export function shapePath(shape: Shape): ShapePath | null {
  const dx = shape.dx ?? 0;
  const dy = shape.dy ?? 0;
  const p = shape.pts;
  if (shape.t === 'pen' || shape.t === 'hl') {
    const points: number[][] = [];
    for (let i = 0; i + 2 < p.length + 1 && i + 1 < p.length; i += 3)
      points.push([p[i]! + dx, p[i + 1]! + dy, p[i + 2] ?? 0.5]);
    if (!points.length) return null;
    if (shape.t === 'hl') return { d: polyline(points), fill: false, opacity: 0.35 };
    const outline = getStroke(points, {
      size: shape.w,
      thinning: 0.6,
      smoothing: 0.5,
      streamline: 0.4,
      simulatePressure: points.every((point) => point[2] === 0.5),
    });
    return outline.length ? { d: closedPath(outline), fill: true, opacity: 1 } : null;
  }
  if (p.length < 4) return null;
  const [x1, y1, x2, y2] = [p[0]! + dx, p[1]! + dy, p[2]! + dx, p[3]! + dy];
  if (shape.t === 'line') return { d: `M${n(x1)} ${n(y1)}L${n(x2)} ${n(y2)}`, fill: false, opacity: 1 };
  if (shape.t === 'arrow') {
    const angle = Math.atan2(y2 - y1, x2 - x1);
    const head = Math.max(12, shape.w * 4);
    const left = [x2 - head * Math.cos(angle - 0.45), y2 - head * Math.sin(angle - 0.45)];
    const right = [x2 - head * Math.cos(angle + 0.45), y2 - head * Math.sin(angle + 0.45)];
    return {
      d: `M${n(x1)} ${n(y1)}L${n(x2)} ${n(y2)}M${n(left[0]!)} ${n(left[1]!)}L${n(x2)} ${n(y2)}L${n(right[0]!)} ${n(right[1]!)}`,
      fill: false,
      opacity: 1,
    };
  }
  if (shape.t === 'rect') {
    const [left, top] = [Math.min(x1, x2), Math.min(y1, y2)];
    const [w, h] = [Math.abs(x2 - x1), Math.abs(y2 - y1)];
    return { d: `M${n(left)} ${n(top)}h${n(w)}v${n(h)}h${n(-w)}Z`, fill: false, opacity: 1 };
  }
  if (shape.t === 'ellipse') {
    const [cx, cy, rx, ry] = [(x1 + x2) / 2, (y1 + y2) / 2, Math.abs(x2 - x1) / 2, Math.abs(y2 - y1) / 2];
    return {
      d: `M${n(cx - rx)} ${n(cy)}a${n(rx)} ${n(ry)} 0 1 0 ${n(2 * rx)} 0a${n(rx)} ${n(ry)} 0 1 0 ${n(-2 * rx)} 0Z`,
      fill: false,
      opacity: 1,
    };
  }
  return null;
}

/** The box around a shape, in page units (for selecting and erasing). */
export function shapeBounds(shape: Shape): { x: number; y: number; w: number; h: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  const step = shape.t === 'pen' || shape.t === 'hl' ? 3 : 2;
  for (let i = 0; i + 1 < shape.pts.length; i += step) {
    xs.push(shape.pts[i]! + (shape.dx ?? 0));
    ys.push(shape.pts[i + 1]! + (shape.dy ?? 0));
  }
  if (!xs.length) return { x: 0, y: 0, w: 0, h: 0 };
  const pad = shape.w / 2;
  const [x, y] = [Math.min(...xs) - pad, Math.min(...ys) - pad];
  let w = Math.max(...xs) + pad - x;
  let h = Math.max(...ys) + pad - y;
  if (shape.t === 'text') {
    w = Math.max(w, (shape.text?.length ?? 1) * shape.w * 0.6);
    h = Math.max(h, shape.w * 1.3);
  }
  return { x, y, w, h };
}

function polyline(points: number[][]): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'}${n(x!)} ${n(y!)}`).join('');
}

function closedPath(outline: number[][]): string {
  return `${polyline(outline)}Z`;
}
