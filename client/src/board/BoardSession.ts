import * as Y from 'yjs';
import { packPoints, pageType, readShape, type DocumentAccess, type DocumentId, type Shape } from '@protocol';
import { CollabProvider, type CollabChannel } from '@/collab/CollabProvider';

/** Our own changes: the undo manager tracks these and nothing that came from others. */
export const LOCAL = Symbol('local');

export type ShapeDraft = Omit<Shape, 'id' | 'pts'> & { pts: number[] };

/**
 * One board as this page works on it: the shared document (kept in step by
 * a CollabProvider), its pages' shapes, and undo/redo of our own changes
 * only (Y.UndoManager with our origin tracked), so one person's undo never
 * takes back another's stroke.
 */
export class BoardSession {
  readonly provider: CollabProvider;
  readonly undo: Y.UndoManager;

  constructor(channel: CollabChannel, docId: DocumentId) {
    this.provider = new CollabProvider(channel, docId);
    // The whole document is in scope (strokes on every page, new pages); only our own changes are tracked.
    this.undo = new Y.UndoManager(this.provider.doc, {
      trackedOrigins: new Set([LOCAL]),
      captureTimeout: 400,
    });
  }

  get doc(): Y.Doc {
    return this.provider.doc;
  }

  get access(): DocumentAccess {
    return this.provider.access;
  }

  /** The shared array of a page's shapes. */
  page(pageKey: string): Y.Array<Y.Map<unknown>> {
    return this.doc.getArray<Y.Map<unknown>>(pageType(pageKey));
  }

  /** The page's shapes as plain objects (anything unreadable skipped). */
  shapes(pageKey: string): Shape[] {
    return this.page(pageKey)
      .toArray()
      .map((shape) => readShape(shape instanceof Y.Map ? shape.toJSON() : shape))
      .filter((shape): shape is Shape => shape !== null);
  }

  /** Starts a shape; pen strokes keep their points in a shared array, so each move sends only new points. */
  add(pageKey: string, draft: ShapeDraft): Y.Map<unknown> {
    const shape = new Y.Map<unknown>();
    this.doc.transact(() => {
      shape.set('id', `${this.doc.clientID.toString(36)}-${Date.now().toString(36)}`);
      for (const [key, value] of Object.entries(draft)) {
        if (key === 'pts' && (draft.t === 'pen' || draft.t === 'hl')) {
          const points = new Y.Array<number>();
          points.push(draft.pts);
          shape.set('pts', points);
        } else if (value !== undefined) shape.set(key, value);
      }
      this.page(pageKey).push([shape]);
    }, LOCAL);
    return shape;
  }

  extend(shape: Y.Map<unknown>, points: number[]): void {
    const pts = shape.get('pts');
    this.doc.transact(() => {
      if (pts instanceof Y.Array) pts.push(points);
      else shape.set('pts', points);
    }, LOCAL);
  }

  set(shape: Y.Map<unknown>, changes: Record<string, unknown>): void {
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(changes)) shape.set(key, value);
    }, LOCAL);
  }

  find(pageKey: string, id: string): Y.Map<unknown> | undefined {
    return this.page(pageKey)
      .toArray()
      .find((shape) => shape instanceof Y.Map && shape.get('id') === id);
  }

  remove(pageKey: string, ids: readonly string[]): void {
    const shapes = this.page(pageKey);
    this.doc.transact(() => {
      for (let i = shapes.length - 1; i >= 0; i--) {
        const shape = shapes.get(i);
        if (shape instanceof Y.Map && ids.includes(String(shape.get('id')))) shapes.delete(i, 1);
      }
    }, LOCAL);
  }

  /** Clears a page (the teacher's button). */
  clear(pageKey: string): void {
    const shapes = this.page(pageKey);
    this.doc.transact(() => shapes.delete(0, shapes.length), LOCAL);
  }

  /** The blank pages, in order (the first one always there). */
  boardPages(): string[] {
    const listed = this.doc.getArray<string>('order').toArray();
    return listed.length ? [...new Set(listed)] : ['b:1'];
  }

  addBoardPage(): string {
    const order = this.doc.getArray<string>('order');
    const id = `b:${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
    this.doc.transact(() => {
      if (order.length === 0) order.push(['b:1']);
      order.push([id]);
    }, LOCAL);
    return id;
  }

  /**
   * Each of our strokes is one step to undo: the next change starts a new
   * one. A pen stroke's points, sent as they came, are kept packed from now
   * on (a third of the bytes once the document drops the array).
   */
  endStroke(shape?: Y.Map<unknown>): void {
    const pts = shape?.get('pts');
    if (shape && !shape._item?.deleted && pts instanceof Y.Array && pts.length > 0)
      this.doc.transact(() => shape.set('pts', packPoints(pts.toArray() as number[])), LOCAL);
    this.undo.stopCapturing();
  }

  destroy(): void {
    this.undo.destroy();
    this.provider.destroy();
  }
}
