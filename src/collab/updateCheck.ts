import * as decoding from 'lib0/decoding';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { AppError } from '../shared/errors.js';

/** What an update would do to a document, read without applying it. */
export interface UpdateSummary {
  /** New content (items) it adds; 0 for an update that only deletes. */
  structs: number;
  /** Whether it deletes anything. */
  deletes: boolean;
  /** The Yjs clients whose content it adds, with the first clock of each (to find gaps). */
  from: Map<number, number>;
  /** Top-level types it writes to by name. */
  roots: Set<string>;
}

const invalid = (message: string) => new AppError(400, 'INVALID_UPDATE', message);

/** A page's sync message (step 2 or an update) read and summarised; INVALID_UPDATE for anything else. */
export function readSyncUpdate(message: Uint8Array): { update: Uint8Array; summary: UpdateSummary } {
  let update: Uint8Array;
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type !== sync.messageYjsSyncStep2 && type !== sync.messageYjsUpdate) throw new Error('type');
    update = decoding.readVarUint8Array(decoder);
  } catch {
    throw invalid('Expected a sync step 2 or an update');
  }
  try {
    return { update, summary: summariseUpdate(update) };
  } catch {
    throw invalid('The update could not be decoded');
  }
}

/** Decodes an update without applying it; throws on bytes that are no Yjs update. */
export function summariseUpdate(update: Uint8Array): UpdateSummary {
  const { structs, ds } = Y.decodeUpdate(update);
  const roots = new Set<string>();
  // Where each client's run starts, as Y.parseUpdateMeta reads it, from the same decode.
  // Content that was deleted before it was sent arrives as GC structs: it still counts for gaps.
  const from = new Map<number, number>();
  let client: number | undefined;
  let items = 0;
  for (const struct of structs) {
    if (struct.id.client !== client) {
      client = struct.id.client;
      from.set(client, struct.id.clock);
    }
    if (!(struct instanceof Y.Item)) continue;
    items += 1;
    if (typeof struct.parent === 'string') roots.add(struct.parent);
  }
  return { structs: items, deletes: ds.clients.size > 0, from, roots };
}

/** An update that changes nothing (an empty step 2). */
export function isEmpty(summary: UpdateSummary): boolean {
  return summary.from.size === 0 && !summary.deletes;
}

/**
 * An update that adds nothing and deletes only what the document already
 * deleted: a reader's step 2 once the board has erasures in it.
 */
export function changesNothing(summary: UpdateSummary, update: Uint8Array, doc: Y.Doc): boolean {
  if (isEmpty(summary)) return true;
  if (summary.from.size > 0) return false;
  const held = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) {
    const deleted = held.clients.get(client) ?? [];
    for (const { clock, len } of ranges) {
      if (!deleted.some((range) => range.clock <= clock && clock + len <= range.clock + range.len))
        return false;
    }
  }
  return true;
}

/** The clients whose content starts beyond what the document holds: applying would leave it pending. */
export function gapsIn(summary: UpdateSummary, doc: Y.Doc): number[] {
  return [...summary.from]
    .filter(([client, clock]) => clock > Y.getState(doc.store, client))
    .map(([client]) => client);
}
