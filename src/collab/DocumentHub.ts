import { RateLimiterMemory } from 'rate-limiter-flexible';
import type * as Y from 'yjs';
import { documentKey, type CollabOpened, type DocumentId, type DocumentKind } from '../protocol/index.js';
import { atMost } from '../shared/atMost.js';
import { ConflictError, TooManyRequestsError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { WriteBehind } from '../store/WriteBehind.js';
import { CollabDocument, type CollabPeer, type DocumentRules } from './CollabDocument.js';
import { documentRecordId, type DocumentStore } from './DocumentStore.js';

/** The rules of every kind of document: a new kind adds its entry, and nothing else changes. */
export type DocumentKinds<P extends CollabPeer> = { [K in DocumentKind]: DocumentRules<P> };

export interface DocumentHubOptions<P extends CollabPeer> {
  classroomId: string;
  kinds: DocumentKinds<P>;
  store: Pick<DocumentStore, 'load' | 'put'>;
  writes: Pick<WriteBehind, 'enqueue'>;
  logger: Logger;
  /** A document is written this long after its last change… */
  saveDelayMs?: number;
  /** …and at the latest this long after its first unsaved one. */
  saveMaxDelayMs?: number;
}

/** Awareness: ten messages a second per person (a laser pointer, a cursor), on average over two seconds. */
const AWARENESS_RATE = { points: 20, duration: 2 };
/** Changes: a pen's stroke sends about twenty a second; a flood is refused beyond that. */
const SYNC_RATE = { points: 60, duration: 2 };

interface Pending {
  timer: NodeJS.Timeout | undefined;
  firstAt: number;
  queued: boolean;
  written: Array<() => void>;
}

/**
 * A classroom's shared documents on its node: loaded from their snapshots
 * when first opened, kept in memory while the classroom lives here, written
 * back debounced (and at once on a move or a shutdown) through the
 * write-behind queue, so a database pause loses nothing. The kinds' rules
 * decide who may read and write; the hub only routes.
 */
export class DocumentHub<P extends CollabPeer> {
  private readonly docs = new Map<string, Promise<CollabDocument<P>>>();
  private readonly pending = new Map<string, Pending>();
  private readonly awarenessLimiter = new RateLimiterMemory(AWARENESS_RATE);
  private readonly syncLimiter = new RateLimiterMemory(SYNC_RATE);
  private closed = false;

  constructor(private readonly options: DocumentHubOptions<P>) {}

  async open(peer: P, docId: DocumentId, clientId: number, message: Uint8Array): Promise<CollabOpened> {
    const document = await this.load(docId);
    return document.open(peer, clientId, message);
  }

  async sync(peer: P, docId: DocumentId, message: Uint8Array): Promise<void> {
    await this.limit(this.syncLimiter, peer, 'You are drawing too fast; wait a moment');
    (await this.opened(docId)).receive(peer, message);
  }

  async awareness(peer: P, docId: DocumentId, update: Uint8Array): Promise<void> {
    await this.limit(this.awarenessLimiter, peer, 'Pointer updates at most ten times a second');
    (await this.opened(docId)).awarenessFrom(peer, update);
  }

  async close(peer: P, docId: DocumentId): Promise<void> {
    const document = await this.docs.get(documentKey(docId))?.catch(() => undefined);
    document?.close(peer);
  }

  /** A participant left the lesson (or their connection went): out of every document. */
  leave(peer: P): void {
    for (const pending of this.docs.values())
      void pending.then(
        (document) => document.close(peer),
        () => undefined,
      );
  }

  /** Who may do what changed: every open document asks its rules again and tells whom it concerns. */
  refreshAccess(): void {
    for (const pending of this.docs.values())
      void pending.then(
        (document) => document.refreshAccess(),
        () => undefined,
      );
  }

  /**
   * The document as it is now, for reading on the server (an export): the
   * live one, or loaded from its snapshot for this call.
   */
  async read(docId: DocumentId): Promise<Y.Doc> {
    return (await this.load(docId)).doc;
  }

  /**
   * Changes a document on the server, for the person who asked (a merge, a
   * restore): every page that has it open gets the change, and it is written
   * like a page's.
   */
  async change(
    docId: DocumentId,
    author: string,
    expectedBytes: number,
    edit: (doc: Y.Doc) => void,
  ): Promise<void> {
    (await this.load(docId)).change(author, expectedBytes, edit);
  }

  /**
   * The document now, with its authors as stored ones (an erasure) leave them, for a snapshot;
   * undefined when nobody opened it on this node.
   */
  async capture(docId: DocumentId): Promise<ReturnType<CollabDocument<P>['capture']> | undefined> {
    const loaded = this.docs.get(documentKey(docId));
    if (!loaded) return undefined;
    const document = await loaded;
    await document.refresh();
    return document.capture();
  }

  /**
   * Writes every changed document now and waits until they are written, or
   * the deadline passes (a move to another node, a shutdown): whatever is not
   * written by then stays queued, and the next node merges it when it lands.
   */
  async flush(deadlineMs: number): Promise<void> {
    const written = [...this.pending.keys()].map(
      (key) => new Promise<void>((resolve) => this.save(key, resolve)),
    );
    await atMost(Promise.all(written), deadlineMs);
  }

  /** The classroom closes: changed documents are queued for writing, and memory is let go once they are. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const key of [...this.pending.keys()]) this.save(key);
    for (const [key, pending] of this.docs) {
      void pending.then(
        (document) => {
          if (this.pending.has(key)) this.pending.get(key)!.written.push(() => document.dispose());
          else document.dispose();
        },
        () => undefined,
      );
    }
  }

  private async opened(docId: DocumentId): Promise<CollabDocument<P>> {
    const document = await this.docs.get(documentKey(docId))?.catch(() => undefined);
    if (!document) throw new ConflictError('Open the document first', 'DOCUMENT_NOT_OPEN');
    return document;
  }

  private load(docId: DocumentId): Promise<CollabDocument<P>> {
    const key = documentKey(docId);
    let document = this.docs.get(key);
    if (!document) {
      const { classroomId, kinds, store, logger } = this.options;
      const rules = kinds[docId.kind];
      const header = {
        id: documentRecordId(classroomId, docId.kind, docId.group),
        classroomId,
        kind: docId.kind,
        group: docId.group,
        ...rules.describe?.(docId.group),
      };
      const created = new CollabDocument<P>({
        docId,
        header,
        rules,
        store,
        logger,
        changed: () => this.changed(key),
      });
      document = store.load(header.id).then((stored) => {
        created.restore(stored);
        return created;
      });
      document.catch(() => this.docs.delete(key));
      this.docs.set(key, document);
    }
    return document;
  }

  private async limit(limiter: RateLimiterMemory, peer: P, message: string): Promise<void> {
    try {
      await limiter.consume(peer.id);
    } catch (rejection) {
      const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
      throw new TooManyRequestsError(Math.ceil(ms / 1000), message);
    }
  }

  /** A document changed: it is written once changes pause, and at the latest after the longest delay. */
  private changed(key: string): void {
    const { saveDelayMs = 1_500, saveMaxDelayMs = 5_000 } = this.options;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = { timer: undefined, firstAt: Date.now(), queued: false, written: [] };
      this.pending.set(key, pending);
    }
    if (pending.queued || this.closed) return;
    clearTimeout(pending.timer);
    const delay = Math.max(0, Math.min(saveDelayMs, pending.firstAt + saveMaxDelayMs - Date.now()));
    pending.timer = setTimeout(() => this.save(key), delay);
    pending.timer.unref();
  }

  /** Queues the document's write (once, however many changes wait); `done` runs once it is written. */
  private save(key: string, done?: () => void): void {
    const pending = this.pending.get(key);
    if (!pending) {
      done?.();
      return;
    }
    if (done) pending.written.push(done);
    if (pending.queued) return;
    clearTimeout(pending.timer);
    pending.queued = true;
    this.options.writes.enqueue('collab.persist', async () => {
      // Changes from here on ask for another write.
      this.pending.delete(key);
      const document = await this.docs.get(key)!;
      await document.persist();
      for (const callback of pending.written.splice(0)) callback();
    });
  }
}
