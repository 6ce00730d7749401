import type { DocumentAccess, DocumentId, ServerEvents } from '../protocol/index.js';
import type { Logger } from '../shared/logger.js';
import type { DocumentHeader, DocumentStore } from './DocumentStore.js';

// What a shared document needs from the classroom: who takes part, the rules
// of its kind, and where it is kept. A kind's rules live with the classroom
// (classroom/live/documentKinds.ts); the collab layer only asks them.

/** Who takes part in a document: a participant of the classroom, as the collab layer needs one. */
export interface CollabPeer {
  readonly id: string;
  readonly userKey: string;
  emit<E extends 'collab:sync' | 'collab:awareness' | 'collab:access'>(
    event: E,
    payload: ServerEvents[E],
  ): void;
}

/** The rules of one kind of document. */
export interface DocumentRules<P extends CollabPeer> {
  /** What a peer may do with this kind's document of `group` (null: the class's own); asked on every message. */
  access(peer: P, group: string | null): DocumentAccess;
  /** Whether an update may write to the top-level type of this name. */
  root(name: string): boolean;
  /** How large the document may grow, in bytes of its snapshot. */
  maxBytes: number;
  /** What the history shows of the document: a breakout group's name, the lesson it belonged to. */
  describe?(group: string | null): { label?: string; lessonId?: string };
  /**
   * What others see of a page's awareness state (parsed JSON): a kind may
   * put the participant's own name on it, so nobody's caret carries another
   * name. Without it states are relayed as sent.
   */
  awareness?(peer: P, state: unknown): unknown;
}

/** Where changes the server makes itself (a merge, a restore) come from. */
export const FROM_SERVER = Symbol('server');

/** Where changes that came from the database (another node's write, an erasure) are applied. */
export const FROM_STORE = Symbol('store');

export interface CollabDocumentOptions<P extends CollabPeer> {
  docId: DocumentId;
  header: DocumentHeader;
  rules: DocumentRules<P>;
  store: Pick<DocumentStore, 'load' | 'put'>;
  logger: Logger;
  /** Asks for a write soon (debounced by the hub). */
  changed(): void;
}
