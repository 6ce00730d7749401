interface Holder {
  /** Undefined when a claim showed the slot taken without saying by whom. */
  userKey: string | undefined;
  expiresAt: Date;
}

/** How long a slot that refused a claim counts as taken when nobody read who holds it. */
const UNKNOWN_HOLDER_MS = 60_000;

/**
 * What this process believes about one lesson's seats: the last read of the
 * database, its own grants and releases since, and the slots it is claiming
 * right now. Only a hint for choosing a slot (the database's unique keys
 * decide), so a stale view costs a retry, never a wrong seat.
 */
export class SeatView {
  private readonly holders = new Map<number, Holder>();
  private readonly claims = new Map<number, Promise<boolean>>();

  /** A slot for this request that looks free (or expired) and that no take here is claiming. */
  pick(request: { kind: 'enrolled' | 'guest'; seatCap: number; reservedSeats: number }, now: Date) {
    const reserved = Math.min(request.reservedSeats, request.seatCap);
    const free: number[] = [];
    for (let slot = request.kind === 'guest' ? reserved : 0; slot < request.seatCap; slot++) {
      const holder = this.holders.get(slot);
      if (!this.claims.has(slot) && (!holder || holder.expiresAt <= now)) free.push(slot);
    }
    // Enrolled students fill reserved slots first; random picks keep processes from colliding.
    const preferred = request.kind === 'enrolled' ? free.filter((slot) => slot < reserved) : [];
    const pool = preferred.length > 0 ? preferred : free;
    return pool.length > 0 ? pool[Math.floor(Math.random() * pool.length)] : undefined;
  }

  /** Whether a holder (live or expired) is known for the slot: then taking it needs a condition. */
  knowsHolder(slot: number): boolean {
    return this.holders.has(slot);
  }

  holds(userKey: string): boolean {
    for (const holder of this.holders.values()) if (holder.userKey === userKey) return true;
    return false;
  }

  /** Marks the slot as being claimed until the claim settles. */
  claiming(slot: number, claim: Promise<boolean>): Promise<boolean> {
    this.claims.set(slot, claim);
    const done = () => {
      if (this.claims.get(slot) === claim) this.claims.delete(slot);
    };
    claim.then(done, done);
    return claim;
  }

  /** Waits for the claims in flight; false when there were none (nothing can free up by waiting). */
  async settled(): Promise<boolean> {
    if (this.claims.size === 0) return false;
    await Promise.allSettled([...this.claims.values()]);
    return true;
  }

  /** The outcome of a claim: won by this user, or refused by a holder the database did not name. */
  record(slot: number, holder: { userKey: string; expiresAt: Date } | undefined): void {
    this.holders.set(
      slot,
      holder ?? { userKey: undefined, expiresAt: new Date(Date.now() + UNKNOWN_HOLDER_MS) },
    );
  }

  /** A fresh read of the database replaces the view. */
  replace(rows: Array<{ slot: number; userKey: string; expiresAt: Date }>): void {
    this.holders.clear();
    for (const row of rows) this.holders.set(row.slot, { userKey: row.userKey, expiresAt: row.expiresAt });
  }

  extend(userKeys: string[], expiresAt: Date): void {
    const keys = new Set(userKeys);
    for (const holder of this.holders.values())
      if (holder.userKey && keys.has(holder.userKey)) holder.expiresAt = expiresAt;
  }

  release(userKey: string): void {
    for (const [slot, holder] of this.holders) if (holder.userKey === userKey) this.holders.delete(slot);
  }
}
