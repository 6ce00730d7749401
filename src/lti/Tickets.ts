import { randomId } from '../shared/ids.js';
import type { Models } from '../store/models/index.js';

export type TicketKind = 'login' | 'launch' | 'deepLink';

/**
 * Short-lived records keyed by an unguessable code: the OIDC login state, and
 * the hand-over from a launch to the page that follows it. Redeeming deletes,
 * and only the caller whose delete succeeded gets the payload: single use
 * without transactions.
 */
export class Tickets {
  constructor(private readonly models: Models) {}

  async issue<T extends object>(
    kind: TicketKind,
    payload: T,
    ttlMs: number,
    code = randomId(24),
  ): Promise<string> {
    await this.models.tickets.create({ _id: code, kind, payload, expiresAt: new Date(Date.now() + ttlMs) });
    return code;
  }

  async peek<T>(kind: TicketKind, code: unknown): Promise<T | undefined> {
    if (typeof code !== 'string' || code.length === 0 || code.length > 100) return undefined;
    const ticket = await this.models.tickets
      .findOne({ _id: code, kind, expiresAt: { $gt: new Date() } })
      .lean();
    return ticket ? (ticket.payload as T) : undefined;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.tickets.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  async redeem<T>(kind: TicketKind, code: unknown): Promise<T | undefined> {
    const payload = await this.peek<T>(kind, code);
    if (payload === undefined) return undefined;
    const { deletedCount } = await this.models.tickets.deleteOne({ _id: code as string, kind });
    return deletedCount === 1 ? payload : undefined;
  }
}
