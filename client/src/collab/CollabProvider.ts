import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { documentKey, type CollabRefusal, type DocumentAccess, type DocumentId } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';

/** What the provider needs of the signalling connection. */
export type CollabChannel = Pick<SignalingClient, 'request' | 'send' | 'on'>;

/** Local changes are sent together this often (a pen stroke: about twenty messages a second). */
const FLUSH_MS = 50;
/** Awareness (a laser pointer) at most this often: the server allows ten a second. */
const AWARENESS_MS = 110;
/** Refusals after which the server lacks a change of ours it would take: open again, by state vector. */
const RESYNC_AT_ONCE = new Set(['DOCUMENT_OUT_OF_SYNC', 'DOCUMENT_NOT_OPEN']);
/** A refusal after which the server would take the same change later. */
const WAIT_AND_RESYNC = 'RATE_LIMITED';

function bytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

export interface CollabProviderEvents {
  /** What this page may do with the document (the tools vanish without `write`). */
  access(access: DocumentAccess): void;
  /** The server refused a change of ours (a full board, the pen taken back); it is not in the shared document. */
  refused(code: string): void;
  /**
   * The refusal was final: the change stays in this page's document, and
   * every later change depends on it (Yjs needs each client's changes
   * without gaps), so none would reach the server. Let go of this provider
   * and open the document afresh, with a new Y.Doc.
   */
  diverged(code: string): void;
  /** The document is in step with the server (after opening, and after every reconnection). */
  synced(): void;
}

/**
 * One shared document kept in step with the server over the signalling
 * connection (y-protocols sync and awareness, as y-websocket does on a
 * socket of its own). Local changes are collected and sent every 50 ms,
 * without acknowledgement; changes from others arrive as events. Nothing
 * confirms a change, so what the server did not take is repaired by state
 * vector: a refusal that says the server lacks something of ours (a change
 * lost on the way leaves a gap the next one reveals) opens the document
 * again at once, a rate limit after its wait, and a reconnection always.
 * A refusal of any other kind is final: the provider says it diverged, once.
 */
export class CollabProvider {
  readonly awareness: Awareness;
  access: DocumentAccess = 'none';
  private readonly key: string;
  private readonly offs: Array<() => void> = [];
  private readonly listeners: { [K in keyof CollabProviderEvents]: Set<CollabProviderEvents[K]> } = {
    access: new Set(),
    refused: new Set(),
    diverged: new Set(),
    synced: new Set(),
  };
  private pending: Uint8Array[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private awarenessTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAwarenessAt = 0;
  private opened = false;
  private destroyed = false;
  private reopening: Promise<void> | undefined;
  private resyncTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether this page changed the document: a document it never changed cannot be refused. */
  private changed = false;
  private diverged = false;

  constructor(
    private readonly channel: CollabChannel,
    readonly docId: DocumentId,
    readonly doc: Y.Doc = new Y.Doc(),
  ) {
    this.key = documentKey(docId);
    this.awareness = new Awareness(doc);
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.changed = true;
      this.queue(update);
    };
    doc.on('update', onUpdate);
    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      if (origin === 'local' && [...added, ...updated, ...removed].includes(doc.clientID))
        this.sendAwareness();
    };
    this.awareness.on('update', onAwareness);
    this.offs.push(
      () => doc.off('update', onUpdate),
      () => this.awareness.off('update', onAwareness),
      channel.on('collab:sync', ({ doc: id, message }) => {
        if (documentKey(id) === this.key && this.opened) this.receive(bytes(message));
      }),
      channel.on('collab:awareness', ({ doc: id, update }) => {
        if (documentKey(id) === this.key) applyAwarenessUpdate(this.awareness, bytes(update), this);
      }),
      channel.on('collab:access', ({ doc: id, access }) => {
        if (documentKey(id) === this.key) this.setAccess(access);
      }),
      channel.on('collab:refused', (refusal) => {
        if (!refusal.doc || documentKey(refusal.doc) === this.key) this.refusal(refusal);
      }),
    );
  }

  on<K extends keyof CollabProviderEvents>(event: K, listener: CollabProviderEvents[K]): () => void {
    (this.listeners[event] as Set<CollabProviderEvents[K]>).add(listener);
    return () => (this.listeners[event] as Set<CollabProviderEvents[K]>).delete(listener);
  }

  /** Opens the document on the server (again, after a reconnection): both sides send what the other lacks. */
  async open(): Promise<void> {
    this.opened = false;
    const step1 = encoding.createEncoder();
    sync.writeSyncStep1(step1, this.doc);
    const opened = await this.channel.request('collab:open', {
      doc: this.docId,
      clientId: this.doc.clientID,
      message: encoding.toUint8Array(step1),
    });
    if (this.destroyed) return;
    this.opened = true;
    this.setAccess(opened.access);
    for (const message of opened.messages) this.receive(bytes(message));
    if (opened.awareness) applyAwarenessUpdate(this.awareness, bytes(opened.awareness), this);
    // What we changed while the connection was away goes with our step 2; the queue is older news.
    this.pending = [];
    if (this.awareness.getLocalState() !== null) this.sendAwareness();
    this.emit('synced');
  }

  /** Lets go of the document: the server forgets our awareness, the listeners go. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.awarenessTimer);
    clearTimeout(this.resyncTimer);
    for (const off of this.offs.splice(0)) off();
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    this.awareness.destroy();
    if (this.opened) void this.channel.request('collab:close', { doc: this.docId }).catch(() => undefined);
  }

  /**
   * Sync messages from the server (changes close together come as several,
   * one after the other): step 2 or an update is applied; step 1 is answered
   * with our step 2.
   */
  private receive(messages: Uint8Array): void {
    const decoder = decoding.createDecoder(messages);
    while (decoding.hasContent(decoder)) {
      const reply = encoding.createEncoder();
      const type = sync.readSyncMessage(decoder, reply, this.doc, this);
      if (type === sync.messageYjsSyncStep1) this.send(encoding.toUint8Array(reply));
    }
  }

  private queue(update: Uint8Array): void {
    if (!this.opened || this.destroyed) return;
    this.pending.push(update);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.pending.length || !this.opened) return;
    const update = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    this.pending = [];
    const encoder = encoding.createEncoder();
    sync.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  }

  private send(message: Uint8Array): void {
    this.channel.send('collab:sync', { doc: this.docId, message });
  }

  /** A message of ours the server did not take: repaired by state vector where it would take it now. */
  private refusal({ message, error }: CollabRefusal): void {
    if (this.destroyed || !this.opened || this.diverged || message !== 'collab:sync') return;
    if (RESYNC_AT_ONCE.has(error.code)) {
      this.resync();
      return;
    }
    // A final refusal of a document we never changed answers a message of the one this page let go of.
    if (error.code !== WAIT_AND_RESYNC && !this.changed) return;
    this.emit('refused', error.code);
    if (error.code !== WAIT_AND_RESYNC) {
      this.diverged = true;
      this.emit('diverged', error.code);
      return;
    }
    if (this.resyncTimer) return;
    const retryAfter = Number(
      (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds,
    );
    this.resyncTimer = setTimeout(
      () => {
        this.resyncTimer = undefined;
        this.resync();
      },
      (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000,
    );
  }

  /** Opens the document again (once at a time): each side sends what the other lacks. */
  private resync(): void {
    if (this.destroyed || this.reopening) return;
    this.reopening = this.open()
      .catch(() => undefined)
      .finally(() => (this.reopening = undefined));
  }

  private sendAwareness(): void {
    if (!this.opened || this.awarenessTimer) return;
    const wait = Math.max(0, this.lastAwarenessAt + AWARENESS_MS - Date.now());
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = undefined;
      if (this.destroyed || !this.opened) return;
      this.lastAwarenessAt = Date.now();
      const update = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
      this.channel.send('collab:awareness', { doc: this.docId, update });
    }, wait);
  }

  private setAccess(access: DocumentAccess): void {
    if (this.access === access) return;
    this.access = access;
    this.emit('access', access);
  }

  private emit<K extends keyof CollabProviderEvents>(
    event: K,
    ...args: Parameters<CollabProviderEvents[K]>
  ): void {
    for (const listener of this.listeners[event]) (listener as (...a: unknown[]) => void)(...args);
  }
}
