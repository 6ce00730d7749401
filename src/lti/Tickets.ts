import { randomId } from '../shared/ids.js';
import { driverCollection } from '../store/driverCollection.js';
import type { Models } from '../store/models/index.js';

export type TicketKind = 'launch' | 'deepLink';

interface TicketDocument {
  _id: string;
  kind: TicketKind;
  payload: unknown;
  expiresAt: Date;
}

/**
 * Short-lived records keyed by an unguessable code: the hand-over from a
 * launch to the page that follows it, and the deep-linking picker's session.
 * (The OIDC login stores none: its state is signed, see LoginStates.)
 * Redeeming deletes, and only the caller whose delete succeeded gets the
 * payload: single use without transactions.
 */
export class Tickets {
  /** Issue and redeem are on every launch's path: straight to the driver (documents built whole here). */
  private readonly collection: ReturnType<typeof driverCollection<TicketDocument>>;

  constructor(private readonly models: Models) {
    this.collection = driverCollection<TicketDocument>(models.tickets);
  }

  async issue<T extends object>(
    kind: TicketKind,
    payload: T,
    ttlMs: number,
    code = randomId(24),
  ): Promise<string> {
    await this.collection().insertOne({ _id: code, kind, payload, expiresAt: new Date(Date.now() + ttlMs) });
    return code;
  }

  async peek<T>(kind: TicketKind, code: unknown): Promise<T | undefined> {
    if (typeof code !== 'string' || code.length === 0 || code.length > 100) return undefined;
    const ticket = await this.models.tickets.findById(code).lean();
    return ticket && ticket.kind === kind && ticket.expiresAt > new Date()
      ? (ticket.payload as T)
      : undefined;
  }

  /**
   * Adds to a live ticket's payload (the deep-linking session's choice); false when it is gone.
   * One update, by `_id` alone (the filter FerretDB 1.x hands to SQLite); kind and expiry are
   * checked on the document it updated.
   */
  async amend<T extends object>(kind: TicketKind, code: string, changes: Partial<T>): Promise<boolean> {
    const set = Object.fromEntries(Object.entries(changes).map(([key, value]) => [`payload.${key}`, value]));
    const before = await this.models.tickets.findOneAndUpdate({ _id: code }, { $set: set }).lean();
    return Boolean(before && before.kind === kind && before.expiresAt > new Date());
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.tickets.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /**
   * One operation: whoever deletes the ticket gets it. The filter is the id
   * alone (FerretDB 1.x looks other filters up by scanning the collection);
   * kind and expiry are checked on what was deleted, and a ticket of another
   * kind used here is spent, which only an attacker would do.
   */
  async redeem<T>(kind: TicketKind, code: unknown): Promise<T | undefined> {
    if (typeof code !== 'string' || code.length === 0 || code.length > 100) return undefined;
    const ticket = await this.collection().findOneAndDelete({ _id: code });
    if (!ticket || ticket.kind !== kind || ticket.expiresAt <= new Date()) return undefined;
    return ticket.payload as T;
  }
}
