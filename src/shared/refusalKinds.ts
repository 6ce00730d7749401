import type { RefusalKind } from '../protocol/index.js';

export { REFUSAL_KINDS, type RefusalKind } from '../protocol/index.js';

/** What the features see: one call per refusal, nothing to await, nothing that can fail them. */
export type NoteRefusal = (kind: RefusalKind, subject?: string) => void;
