import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AppError } from '../shared/errors.js';

/** One client's awareness state as the y-protocols awareness message carries it. */
export interface AwarenessEntry {
  client: number;
  clock: number;
  /** The state as JSON text ("null" when the client went away). */
  state: string;
}

/** Largest state of one client, as JSON text: a pointer and a name, never a document. */
const MAX_STATE_CHARS = 1024;
/** Clients in one message from a page: its own document's client, perhaps one earlier one. */
const MAX_ENTRIES = 4;

/** Reads an awareness update; throws on anything that is not one, or is larger than a page's own state. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_ENTRIES) throw new Error(`awareness update with ${count} clients`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (state.length > MAX_STATE_CHARS) throw new Error('awareness state too large');
    JSON.parse(state);
    entries.push({ client, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness update');
  return entries;
}

export function encodeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.client);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * The awareness states of one document's pages, relayed rather than
 * interpreted: the latest state of each client, who sent it (a page speaks
 * only for the clients it opened the document with), and a "gone" message
 * when its page leaves.
 */
export class AwarenessRelay {
  private readonly states = new Map<number, AwarenessEntry & { peerId: string }>();

  /**
   * A page's awareness update, decoded and checked (only about the clients it opened the document
   * with), each state passed through `stamp` (the rules' say, e.g. the name the server knows);
   * answers the entries that were news. Throws INVALID_UPDATE for anything else.
   */
  takeFrom(
    peerId: string,
    update: Uint8Array,
    clients: ReadonlySet<number>,
    stamp?: (state: unknown) => unknown,
  ): AwarenessEntry[] {
    let entries: AwarenessEntry[];
    try {
      entries = decodeAwareness(update);
    } catch {
      throw new AppError(400, 'INVALID_UPDATE', 'The awareness update could not be decoded');
    }
    if (entries.some((entry) => !clients.has(entry.client)))
      throw new AppError(400, 'INVALID_UPDATE', 'Awareness about another page');
    if (stamp) {
      entries = entries.map((entry) =>
        entry.state === 'null'
          ? entry
          : { ...entry, state: JSON.stringify(stamp(JSON.parse(entry.state) as unknown)) },
      );
    }
    return this.take(peerId, entries);
  }

  /** Takes the entries a peer sent; answers the ones that were news (a newer clock). */
  take(peerId: string, entries: readonly AwarenessEntry[]): AwarenessEntry[] {
    const fresh: AwarenessEntry[] = [];
    for (const entry of entries) {
      const known = this.states.get(entry.client);
      if (known && known.clock >= entry.clock) continue;
      this.states.set(entry.client, { ...entry, peerId });
      fresh.push(entry);
    }
    return fresh;
  }

  /** Everyone's current states, for a page that opens the document; null when nobody has one. */
  snapshot(): Uint8Array | null {
    const live = [...this.states.values()].filter((entry) => entry.state !== 'null');
    return live.length ? encodeAwareness(live) : null;
  }

  /** A peer left: its clients' states become null, as their pages would say on leaving. */
  forget(peerId: string): AwarenessEntry[] {
    const gone: AwarenessEntry[] = [];
    for (const [client, entry] of this.states) {
      if (entry.peerId !== peerId) continue;
      this.states.delete(client);
      gone.push({ client, clock: entry.clock + 1, state: 'null' });
    }
    return gone;
  }
}
