import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  documentKey,
  packPoints,
  type DocumentAccess,
  type DocumentId,
  type ProtocolError,
  type ServerEvents,
} from '../../src/protocol/index.js';
import { RequestFailed, type ClassroomClient } from './classroomClient.js';

function bytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

/** Whether `held` (a document's delete set) has every deletion of `ours`. */
type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>;

function covers(held: DeleteSet, ours: DeleteSet): boolean {
  for (const [client, ranges] of ours.clients) {
    const deleted = held.clients.get(client) ?? [];
    for (const { clock, len } of ranges) {
      if (!deleted.some((range) => range.clock <= clock && clock + len <= range.clock + range.len))
        return false;
    }
  }
  return true;
}

/**
 * A shared document as a page keeps it, over a test's signalling client:
 * opened by state vector, changes of others applied as they arrive, our own
 * changes sent one by one without acknowledgement. A test waits for each
 * to be taken (`settled`: the server holds all we hold) or refused (the
 * `collab:refused` event), so it sees each refusal as an error.
 */
export class DocumentClient {
  readonly doc = new Y.Doc();
  access: DocumentAccess = 'none';
  /** When each remote change arrived (performance.now()), for latency figures. */
  readonly arrivals: number[] = [];
  /** Every refusal of a message of ours, in order. */
  readonly refusals: ProtocolError[] = [];
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
    client.socket.on('collab:refused', ({ doc, error }: ServerEvents['collab:refused']) => {
      if (!doc || documentKey(doc) === this.key) this.refusals.push(error);
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
    for (const message of opened.messages) this.receive(bytes(message));
  }

  /** Makes a change and sends it; unless told not to wait, until the server took it (or rejects with its refusal). */
  async change(edit: (doc: Y.Doc) => void, wait = true): Promise<void> {
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
    await this.sendUpdate(Y.mergeUpdates(updates), wait);
  }

  /** Sends an update as it is (a hand-made one, in a test of refusals), and waits as `change` does. */
  async sendUpdate(update: Uint8Array, wait = true): Promise<void> {
    const since = this.refusals.length;
    const encoder = encoding.createEncoder();
    sync.writeUpdate(encoder, update);
    this.client.socket.emit('collab:sync', { doc: this.docId, message: encoding.toUint8Array(encoder) });
    if (wait) await this.settled(since, update);
  }

  /**
   * Waits until the server holds `update` (by default everything we hold),
   * asking for its state vector and deletions by opening the document again;
   * rejects with the first refusal after the `since`-th.
   */
  async settled(since = this.refusals.length, update?: Uint8Array): Promise<void> {
    const expected = update ?? Y.encodeStateAsUpdate(this.doc);
    // Where each client's content in it ends (a state vector from an update counts only runs from 0).
    const clocks = Y.parseUpdateMeta(expected).to;
    const deletions = Y.decodeUpdate(expected).ds;
    const deadline = Date.now() + 10_000;
    // A message too large for the connection closes it: nothing will answer then.
    const closed = this.client.disconnected().then((reason) => {
      throw new Error(`the connection closed (${reason})`);
    });
    closed.catch(() => undefined);
    for (;;) {
      const refusal = this.refusals[since];
      if (refusal) throw new RequestFailed(refusal);
      const step1 = encoding.createEncoder();
      sync.writeSyncStep1(step1, this.doc);
      const opened = await Promise.race([
        closed,
        this.client.request('collab:open', {
          doc: this.docId,
          clientId: this.doc.clientID,
          message: encoding.toUint8Array(step1),
        }),
      ]);
      // Step 2 (what we lack, and every deletion the server holds), then step 1 (its state vector).
      const [step2, serverStep1] = opened.messages.map((message) => {
        const decoder = decoding.createDecoder(bytes(message));
        decoding.readVarUint(decoder);
        return decoding.readVarUint8Array(decoder);
      });
      const held = Y.decodeStateVector(serverStep1!);
      const lacking = [...clocks].some(([client, clock]) => (held.get(client) ?? 0) < clock);
      const deleted = Y.decodeUpdate(step2!).ds;
      Y.applyUpdate(this.doc, step2!, this);
      if (!lacking && covers(deleted, deletions)) return;
      if (Date.now() > deadline) throw new Error('the server did not take the change within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The strokes on a page, as the whiteboard keeps them. */
  shapes(page = 'b:1'): Array<Record<string, unknown>> {
    return this.doc
      .getArray<Y.Map<unknown>>(`page/${page}`)
      .toArray()
      .map((shape) => shape.toJSON());
  }

  /** Adds a pen stroke to a page, as the whiteboard does. */
  draw(
    page = 'b:1',
    points: number[] = [10, 10, 0.5, 20, 20, 0.5],
    color = '#1f6feb',
    wait = true,
  ): Promise<void> {
    return this.change((doc) => {
      const shapes = doc.getArray<Y.Map<unknown>>(`page/${page}`);
      const shape = new Y.Map<unknown>();
      shape.set('id', `${this.doc.clientID}-${shapes.length}`);
      shape.set('t', 'pen');
      shape.set('c', color);
      shape.set('w', 4);
      shape.set('pts', points);
      shapes.push([shape]);
    }, wait);
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

  /** Sync messages from the server, one after the other (changes close together come in one payload). */
  private receive(messages: Uint8Array): void {
    const decoder = decoding.createDecoder(messages);
    while (decoding.hasContent(decoder)) {
      const reply = encoding.createEncoder();
      const type = sync.readSyncMessage(decoder, reply, this.doc, this);
      if (type === sync.messageYjsSyncStep1)
        this.client.socket.emit('collab:sync', { doc: this.docId, message: encoding.toUint8Array(reply) });
    }
  }
}
