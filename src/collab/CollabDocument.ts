import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import type { CollabOpened, DocumentAccess, DocumentId, ServerEvents } from '../protocol/index.js';
import { AppError, ConflictError, ForbiddenError } from '../shared/errors.js';
import { AwarenessRelay, encodeAwareness } from './awarenessRelay.js';
import type { StoredDocument } from './DocumentStore.js';
import { FROM_SERVER, FROM_STORE, type CollabDocumentOptions, type CollabPeer } from './documentRules.js';
import { UpdateBatch } from './UpdateBatch.js';
import { changesNothing, gapsIn, readSyncUpdate } from './updateCheck.js';

export { FROM_SERVER, FROM_STORE } from './documentRules.js';
export type { CollabDocumentOptions, CollabPeer, DocumentRules } from './documentRules.js';

interface Subscriber<P> {
  peer: P;
  /** The Yjs client ids the page opened the document with. */
  clients: Set<number>;
  access: DocumentAccess;
}

const invalid = (message: string) => new AppError(400, 'INVALID_UPDATE', message);

/**
 * One shared document in memory on the classroom's node: the Yjs document,
 * the pages that have it open (each with what it may do), their awareness,
 * and who wrote with which Yjs client. Every message is checked before it
 * touches the document: decoded, refused when the sender may not write,
 * when it writes under another page's client, leaves a gap, or would grow
 * the document past its cap. Changes go to every other page that may read.
 */
export class CollabDocument<P extends CollabPeer> {
  readonly doc = new Y.Doc();
  private readonly subscribers = new Map<string, Subscriber<P>>();
  private readonly awareness = new AwarenessRelay();
  private authors = new Map<number, string>();
  /** The stored revision this node last read or wrote; undefined while nothing is stored. */
  private rev: number | undefined;
  /** The snapshot's size when last measured, plus what was applied since. */
  private bytes = 0;
  private readonly outgoing = new UpdateBatch((update, except) => this.fanOut(update, except));

  constructor(private readonly options: CollabDocumentOptions<P>) {}

  /** The document as stored, loaded before anyone opens it. */
  restore(stored: StoredDocument | undefined): void {
    if (!stored) return;
    Y.applyUpdate(this.doc, stored.state, FROM_STORE);
    this.authors = new Map(stored.authors);
    this.rev = stored.rev;
    this.bytes = stored.state.byteLength;
  }

  get id(): DocumentId {
    return this.options.docId;
  }

  get openCount(): number {
    return this.subscribers.size;
  }

  isOpenBy(peer: P): boolean {
    return this.subscribers.has(peer.id);
  }

  /** A page opens the document: it gets what it lacks, the server's state vector and everyone's awareness. */
  open(peer: P, clientId: number, message: Uint8Array): CollabOpened {
    const access = this.accessOf(peer);
    if (access === 'none') {
      throw new ForbiddenError('You may not open this document', 'PERMISSION_DENIED', { doc: this.id });
    }
    const owner = this.authors.get(clientId);
    if (owner !== undefined && owner !== peer.userKey)
      throw invalid('This client id belongs to someone else');
    const reply = encoding.createEncoder();
    try {
      const decoder = decoding.createDecoder(message);
      if (decoding.readVarUint(decoder) !== sync.messageYjsSyncStep1) throw new Error('not sync step 1');
      sync.readSyncStep1(decoder, reply, this.doc);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw invalid('Opening needs sync step 1 with a state vector');
    }
    const known = this.subscribers.get(peer.id);
    const clients = known?.clients ?? new Set<number>();
    clients.add(clientId);
    this.subscribers.set(peer.id, { peer, clients, access });
    const step1 = encoding.createEncoder();
    sync.writeSyncStep1(step1, this.doc);
    return {
      access,
      messages: [encoding.toUint8Array(reply), encoding.toUint8Array(step1)],
      awareness: this.awareness.snapshot(),
    };
  }

  /** A sync message from a page: step 2 or an update, applied once every check passed. */
  receive(peer: P, message: Uint8Array): void {
    const subscriber = this.subscriberOf(peer);
    const { update, summary } = readSyncUpdate(message);
    if (changesNothing(summary, update, this.doc)) return;
    if (subscriber.access !== 'write') {
      throw new ForbiddenError('You may not write to this document', 'PERMISSION_DENIED', { doc: this.id });
    }
    for (const root of summary.roots) {
      if (!this.options.rules.root(root)) throw invalid(`The update writes to "${root.slice(0, 40)}"`);
    }
    for (const client of summary.from.keys()) {
      if (!subscriber.clients.has(client) && !this.authors.has(client)) {
        throw invalid('The update writes as another page');
      }
    }
    if (gapsIn(summary, this.doc).length > 0) {
      throw new ConflictError('The document moved on; open it again', 'DOCUMENT_OUT_OF_SYNC');
    }
    if (summary.structs > 0) this.checkRoom(update.byteLength);
    let added = false;
    for (const client of summary.from.keys()) {
      if (this.authors.has(client)) continue;
      this.authors.set(client, peer.userKey);
      added = true;
    }
    Y.applyUpdate(this.doc, update, peer);
    this.bytes += update.byteLength;
    // Checked whole and without gaps, it goes on as it came: Yjs need not encode it again.
    this.changedBy(update, peer);
    if (added) this.options.logger.debug({ doc: this.options.header.id }, 'receive() | new writer');
  }

  /** A page's awareness: only about the clients it opened the document with, stamped by the rules. */
  awarenessFrom(peer: P, update: Uint8Array): void {
    const { clients } = this.subscriberOf(peer);
    const stamp = this.options.rules.awareness;
    const fresh = this.awareness.takeFrom(peer.id, update, clients, stamp && ((state) => stamp(peer, state)));
    if (fresh.length)
      this.broadcast('collab:awareness', { doc: this.id, update: encodeAwareness(fresh) }, peer);
  }

  /**
   * Asks the rules again for every page that has the document open (the
   * teacher handed out or took back the pen, someone moved to another
   * group): a page whose access changed is told, one that may no longer
   * read is let go.
   */
  refreshAccess(): void {
    for (const subscriber of [...this.subscribers.values()]) this.recheck(subscriber);
  }

  /** The pages that have the document open. */
  peers(): P[] {
    return [...this.subscribers.values()].map((subscriber) => subscriber.peer);
  }

  close(peer: P): void {
    if (!this.subscribers.delete(peer.id)) return;
    const gone = this.awareness.forget(peer.id);
    if (gone.length) this.broadcast('collab:awareness', { doc: this.id, update: encodeAwareness(gone) });
  }

  /**
   * Writes the snapshot, merging first whatever another writer stored since
   * (a node that served the classroom before, an erasure): nothing either
   * wrote is lost. Runs in the write-behind queue, so it waits out an outage.
   */
  async persist(): Promise<void> {
    const { store, header } = this.options;
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await store.load(header.id);
      if (stored && stored.rev !== this.rev) this.merge(stored);
      const state = Y.encodeStateAsUpdate(this.doc);
      if (await store.put(header, { state, authors: this.authors }, stored?.rev)) {
        this.rev = (stored?.rev ?? 0) + 1;
        this.bytes = state.byteLength;
        return;
      }
    }
    throw new Error(`persist() | ${header.id} kept changing under this write`);
  }

  /**
   * A change the server makes itself (merging a group's notes, restoring a
   * snapshot) for the person who asked: written with a Yjs client of its
   * own, tied to that person like a page's, and sent to every page. Refused
   * like a page's when it would grow the document past its cap.
   */
  change(author: string, expectedBytes: number, edit: (doc: Y.Doc) => void): void {
    this.checkRoom(expectedBytes);
    // A fresh client per change: each is tied to one author, as Yjs does after a clash of ids.
    this.doc.clientID = Math.floor(Math.random() * 0xffff_ffff);
    this.authors.set(this.doc.clientID, author);
    this.tracked(() => this.doc.transact(() => edit(this.doc), FROM_SERVER));
    this.bytes += expectedBytes;
  }

  /** Takes in what another writer stored since (a user's erasure), without writing: for a snapshot. */
  async refresh(): Promise<void> {
    const stored = await this.options.store.load(this.options.header.id);
    if (stored && stored.rev !== this.rev) this.merge(stored);
  }

  /** The document as it is now, with who wrote with which client: for a snapshot. */
  capture(): { state: Uint8Array; authors: Map<number, string> } {
    return { state: Y.encodeStateAsUpdate(this.doc), authors: new Map(this.authors) };
  }

  /** Leaves every page and drops the document from memory. */
  dispose(): void {
    this.outgoing.dispose();
    this.subscribers.clear();
    this.doc.destroy();
  }

  private accessOf(peer: P): DocumentAccess {
    return this.options.rules.access(peer, this.options.docId.group);
  }

  /** The page's subscription, with its access asked anew: the rules decide on every message. */
  private subscriberOf(peer: P): Subscriber<P> {
    const subscriber = this.subscribers.get(peer.id);
    if (subscriber && this.recheck(subscriber) !== 'none') return subscriber;
    throw new ConflictError('Open the document first', 'DOCUMENT_NOT_OPEN');
  }

  private recheck(subscriber: Subscriber<P>): DocumentAccess {
    const access = this.accessOf(subscriber.peer);
    if (access === subscriber.access) return access;
    if (access === 'none') this.close(subscriber.peer);
    else subscriber.access = access;
    subscriber.peer.emit('collab:access', { doc: this.id, access });
    return access;
  }

  private merge(stored: StoredDocument): void {
    this.tracked(() => Y.applyUpdate(this.doc, stored.state, FROM_STORE));
    const storedClients = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(stored.state));
    for (const client of [...this.authors.keys()]) {
      // Stored without its author: an erasure took it out.
      if (storedClients.has(client) && !stored.authors.has(client)) this.authors.delete(client);
    }
    for (const [client, userKey] of stored.authors)
      if (!this.authors.has(client)) this.authors.set(client, userKey);
  }

  private checkRoom(incoming: number): void {
    const { maxBytes } = this.options.rules;
    if (this.bytes + incoming <= maxBytes) return;
    this.bytes = Y.encodeStateAsUpdate(this.doc).byteLength;
    if (this.bytes + incoming <= maxBytes) return;
    const full = `This ${this.id.kind} document is full: remove some of it first`;
    throw new AppError(413, 'DOCUMENT_FULL', full, { bytes: this.bytes, maxBytes });
  }

  /**
   * Runs a change made here (the server's own, or merged from the store) and
   * sends on what Yjs encodes of it. Yjs encodes every transaction's update
   * only while someone listens, so a page's update, sent on as it came, does
   * not pay for it.
   */
  private tracked(run: () => void): void {
    const changed = (update: Uint8Array, origin: unknown) => this.changedBy(update, origin);
    this.doc.on('update', changed);
    try {
      run();
    } finally {
      this.doc.off('update', changed);
    }
  }

  /** A change is in the document: on its way to the pages, and to the store. */
  private changedBy(update: Uint8Array, origin: unknown): void {
    this.outgoing.add(update, origin);
    this.options.changed();
  }

  /** Changes, wherever they came from, to every page but their sender's, encoded once for all. */
  private fanOut(update: Uint8Array, origin: unknown): void {
    const encoder = encoding.createEncoder();
    sync.writeUpdate(encoder, update);
    this.broadcast('collab:sync', { doc: this.id, message: encoding.toUint8Array(encoder) }, origin);
  }

  private broadcast<E extends 'collab:sync' | 'collab:awareness'>(
    event: E,
    payload: ServerEvents[E],
    except?: unknown,
  ): void {
    for (const subscriber of [...this.subscribers.values()]) {
      if (subscriber.peer !== except && this.recheck(subscriber) !== 'none')
        subscriber.peer.emit(event, payload);
    }
  }
}
