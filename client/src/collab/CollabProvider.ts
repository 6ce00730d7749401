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
import { documentKey, type DocumentAccess, type DocumentId } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { RequestError } from '@/signaling/SignalingClient';

/** What the provider needs of the signalling connection. */
export type CollabChannel = Pick<SignalingClient, 'request' | 'on'>;

/** Local changes are sent together this often (a pen stroke: about twenty messages a second). */
const FLUSH_MS = 50;
/** Awareness (a laser pointer) at most this often: the server allows ten a second. */
const AWARENESS_MS = 110;

function bytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}

export interface CollabProviderEvents {
  /** What this page may do with the document (the tools vanish without `write`). */
  access(access: DocumentAccess): void;
  /** The server refused a change of ours (a full board, the pen taken back); it is not in the shared document. */
  refused(code: string): void;
  /** The document is in step with the server (after opening, and after every reconnection). */
  synced(): void;
}

/**
 * One shared document kept in step with the server over the signalling
 * connection (y-protocols sync and awareness, as y-websocket does on a
 * socket of its own). Local changes are collected and sent every 50 ms;
 * changes from others arrive as events. After a reconnection `open()` runs
 * again: each side sends what the other lacks, by state vector, so no
 * stroke is lost whichever side held it.
 */
export class CollabProvider {
  readonly awareness: Awareness;
  access: DocumentAccess = 'none';
  private readonly key: string;
  private readonly offs: Array<() => void> = [];
  private readonly listeners: { [K in keyof CollabProviderEvents]: Set<CollabProviderEvents[K]> } = {
    access: new Set(),
    refused: new Set(),
    synced: new Set(),
  };
  private pending: Uint8Array[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private awarenessTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAwarenessAt = 0;
  private opened = false;
  private destroyed = false;

  constructor(
    private readonly channel: CollabChannel,
    readonly docId: DocumentId,
    readonly doc: Y.Doc = new Y.Doc(),
  ) {
    this.key = documentKey(docId);
    this.awareness = new Awareness(doc);
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.queue(update);
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
    for (const off of this.offs.splice(0)) off();
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    this.awareness.destroy();
    if (this.opened) void this.channel.request('collab:close', { doc: this.docId }).catch(() => undefined);
  }

  /** A sync message from the server: step 2 or an update is applied; step 1 is answered with our step 2. */
  private receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const reply = encoding.createEncoder();
    const type = sync.readSyncMessage(decoder, reply, this.doc, this);
    if (type === sync.messageYjsSyncStep1) this.send(encoding.toUint8Array(reply));
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
    this.channel.request('collab:sync', { doc: this.docId, message }).catch((error: unknown) => {
      if (this.destroyed) return;
      const code = error instanceof RequestError ? error.code : 'ERROR';
      // The server moved on without us (a change of ours it never got): open again, by state vector.
      if (code === 'DOCUMENT_OUT_OF_SYNC' || code === 'DOCUMENT_NOT_OPEN')
        void this.open().catch(() => undefined);
      else this.emit('refused', code);
    });
  }

  private sendAwareness(): void {
    if (!this.opened || this.awarenessTimer) return;
    const wait = Math.max(0, this.lastAwarenessAt + AWARENESS_MS - Date.now());
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = undefined;
      if (this.destroyed || !this.opened) return;
      this.lastAwarenessAt = Date.now();
      const update = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
      void this.channel.request('collab:awareness', { doc: this.docId, update }).catch(() => undefined);
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
