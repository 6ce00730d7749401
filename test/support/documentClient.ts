import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  documentKey,
  packPoints,
  type DocumentAccess,
  type DocumentId,
  type ServerEvents,
} from '../../src/protocol/index.js';
import type { ClassroomClient } from './classroomClient.js';

function bytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

/**
 * A shared document as a page keeps it, over a test's signalling client:
 * opened by state vector, changes of others applied as they arrive, our own
 * changes sent one by one (so a test sees each refusal).
 */
export class DocumentClient {
  readonly doc = new Y.Doc();
  access: DocumentAccess = 'none';
  /** When each remote change arrived (performance.now()), for latency figures. */
  readonly arrivals: number[] = [];
  private readonly key: string;

  constructor(
    readonly client: ClassroomClient,
    readonly docId: DocumentId = { kind: 'board', group: null },
  ) {
    this.key = documentKey(docId);
    client.socket.on('collab:sync', ({ doc, message }: ServerEvents['collab:sync']) => {
      if (documentKey(doc) !== this.key) return;
      this.arrivals.push(performance.now());
      this.receive(bytes(message));
    });
    client.socket.on('collab:access', ({ doc, access }: ServerEvents['collab:access']) => {
      if (documentKey(doc) === this.key) this.access = access;
    });
  }

  /** Opens the document: applies what we lack, and answers the server's state vector with what it lacks. */
  async open(): Promise<void> {
    const step1 = encoding.createEncoder();
    sync.writeSyncStep1(step1, this.doc);
    const opened = await this.client.request('collab:open', {
      doc: this.docId,
      clientId: this.doc.clientID,
      message: encoding.toUint8Array(step1),
    });
    this.access = opened.access;
    for (const message of opened.messages) await this.receive(bytes(message));
  }

  /** Makes a change and sends it; rejects with the server's refusal. */
  async change(edit: (doc: Y.Doc) => void): Promise<void> {
    const updates: Uint8Array[] = [];
    const collect = (update: Uint8Array, origin: unknown) => {
      if (origin !== this) updates.push(update);
    };
    this.doc.on('update', collect);
    try {
      this.doc.transact(() => edit(this.doc));
    } finally {
      this.doc.off('update', collect);
    }
    if (!updates.length) return;
    await this.sendUpdate(Y.mergeUpdates(updates));
  }

  /** Sends an update as it is (a hand-made one, in a test of refusals). */
  sendUpdate(update: Uint8Array): Promise<unknown> {
    const encoder = encoding.createEncoder();
    sync.writeUpdate(encoder, update);
    return this.client.request('collab:sync', { doc: this.docId, message: encoding.toUint8Array(encoder) });
  }

  /** The strokes on a page, as the whiteboard keeps them. */
  shapes(page = 'b:1'): Array<Record<string, unknown>> {
    return this.doc
      .getArray<Y.Map<unknown>>(`page/${page}`)
      .toArray()
      .map((shape) => shape.toJSON());
  }

  /** Adds a pen stroke to a page, as the whiteboard does. */
  draw(page = 'b:1', points: number[] = [10, 10, 0.5, 20, 20, 0.5], color = '#1f6feb'): Promise<void> {
    return this.change((doc) => {
      const shapes = doc.getArray<Y.Map<unknown>>(`page/${page}`);
      const shape = new Y.Map<unknown>();
      shape.set('id', `${this.doc.clientID}-${shapes.length}`);
      shape.set('t', 'pen');
      shape.set('c', color);
      shape.set('w', 4);
      shape.set('pts', points);
      shapes.push([shape]);
    });
  }

  /**
   * Adds a pen stroke as the whiteboard page draws one now: the points sent
   * as a shared array while the pen moves, packed when it lifts.
   */
  async drawFinished(page: string, points: number[], color: string): Promise<void> {
    const shapes = this.doc.getArray<Y.Map<unknown>>(`page/${page}`);
    const shape = new Y.Map<unknown>();
    await this.change(() => {
      shape.set('id', `${this.doc.clientID}-${shapes.length}`);
      shape.set('t', 'pen');
      shape.set('c', color);
      shape.set('w', 4);
      const pts = new Y.Array<number>();
      pts.push(points);
      shape.set('pts', pts);
      shapes.push([shape]);
    });
    await this.change(() => shape.set('pts', packPoints(points)));
  }

  private async receive(message: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(message);
    const reply = encoding.createEncoder();
    const type = sync.readSyncMessage(decoder, reply, this.doc, this);
    if (type === sync.messageYjsSyncStep1) {
      await this.client.request('collab:sync', { doc: this.docId, message: encoding.toUint8Array(reply) });
    }
  }
}
