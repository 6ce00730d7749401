// The collaboration channel: shared documents (Yjs) on the signalling
// connection. Every message is a y-protocols message: sync (step 1: a state
// vector, step 2: what the other side lacks, update: a change) or awareness
// (who is where: a laser pointer, a cursor). Documents are addressed by a
// typed id: a kind (the class's whiteboard; the shared notes later) and the
// group it belongs to (null: the class's main room).
import { z } from 'zod';
import { id } from './media.js';

/** Every kind of shared document. A new kind adds its name here and its rules on the server. */
export const DOCUMENT_KINDS = ['board', 'notes'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const documentIdSchema = z.object({ kind: z.enum(DOCUMENT_KINDS), group: id.nullable() }).strict();
export type DocumentId = z.infer<typeof documentIdSchema>;

/** What a participant may do with a document: read and write, only read, or nothing. */
export type DocumentAccess = 'write' | 'read' | 'none';

/** The largest sync message a page may send (a change, or what it holds that the server lacks). */
export const MAX_COLLAB_MESSAGE_BYTES = 512 * 1024;
/** The largest awareness message (a few people's pointers at most). */
export const MAX_AWARENESS_BYTES = 4 * 1024;

/** One key per document, for maps and logs: `board:class`, `board:<groupId>`. */
export function documentKey(doc: DocumentId): string {
  return `${doc.kind}:${doc.group ?? 'class'}`;
}

/** Binary as socket.io delivers it: a Buffer on Node, a Uint8Array or ArrayBuffer from a page. */
export function binary(maxBytes: number) {
  return z
    .custom<Uint8Array>((value) => value instanceof Uint8Array || value instanceof ArrayBuffer, {
      message: 'expected binary data',
    })
    .transform((value) => (value instanceof Uint8Array ? value : new Uint8Array(value)))
    .refine((value) => value.byteLength <= maxBytes, { message: `at most ${maxBytes} bytes` });
}

export const collabRequestSchemas = {
  /**
   * Opens a document: the page names its Yjs client id and sends sync step 1
   * (its state vector); the answer carries what it lacks (step 2), the
   * server's state vector (step 1, to which the page answers with its own
   * step 2 over `collab:sync`) and everyone's awareness.
   */
  'collab:open': z
    .object({
      doc: documentIdSchema,
      clientId: z.number().int().min(0).max(0xffff_ffff),
      message: binary(MAX_COLLAB_MESSAGE_BYTES),
    })
    .strict(),
  /** A sync message: step 2 (answering the server's step 1) or an update. */
  'collab:sync': z.object({ doc: documentIdSchema, message: binary(MAX_COLLAB_MESSAGE_BYTES) }).strict(),
  /** An awareness update about the page's own client (at most ten a second). */
  'collab:awareness': z.object({ doc: documentIdSchema, update: binary(MAX_AWARENESS_BYTES) }).strict(),
  'collab:close': z.object({ doc: documentIdSchema }).strict(),
} as const;

/** Requests whose payload may be larger than the usual limit, in bytes (binary counted as its length). */
export const COLLAB_REQUEST_BYTES = MAX_COLLAB_MESSAGE_BYTES + 1024;

export interface CollabOpened {
  access: DocumentAccess;
  /** Sync step 2 (what the page lacks), then sync step 1 (the server's state vector). */
  messages: Uint8Array[];
  /** Everyone's awareness states, or null when nobody has any. */
  awareness: Uint8Array | null;
}

export interface CollabResults {
  'collab:open': CollabOpened;
  'collab:sync': { ok: true };
  'collab:awareness': { ok: true };
  'collab:close': { ok: true };
}

export interface CollabEvents {
  /** A change someone made (a y-protocols update message). */
  'collab:sync': { doc: DocumentId; message: Uint8Array };
  'collab:awareness': { doc: DocumentId; update: Uint8Array };
  /** What this page may do with an open document changed (the teacher handed out or took back the pen). */
  'collab:access': { doc: DocumentId; access: DocumentAccess };
}
