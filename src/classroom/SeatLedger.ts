import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';

export type SeatKind = 'enrolled' | 'guest';

export interface SeatRequest {
  lessonId: string;
  userKey: string;
  kind: SeatKind;
  seatCap: number;
  /** Slots [0, reservedSeats) are for enrolled students only. */
  reservedSeats: number;
}

export type SeatResult = { granted: true; slot: number } | { granted: false };

export interface SeatLedgerOptions {
  /** How long a seat stays taken without renewal: a crashed process's seats free up after this. */
  leaseMs: number;
  /** How long a seat stays taken after its holder's last connection closed. */
  graceMs: number;
}

/**
 * Seats of live lessons, shared by every Aula process through the database.
 * A seat is a slot document with a unique id per (lesson, slot) and a unique
 * (lesson, user) pair, so the cap and "one seat per user" hold under any race
 * without transactions.
 */
export class SeatLedger {
  constructor(
    private readonly models: Models,
    private readonly options: SeatLedgerOptions,
  ) {}

  async take(request: SeatRequest): Promise<SeatResult> {
    const own = await this.renewOwn(request.lessonId, request.userKey);
    if (own !== undefined) return { granted: true, slot: own };
    const reserved = Math.min(request.reservedSeats, request.seatCap);
    const first = request.kind === 'guest' ? reserved : 0;

    // Each round reads the slots, tries one free slot, and on a collision reads again:
    // a loser learns the lesson is full after a few rounds instead of trying every slot.
    for (let round = 0; round < request.seatCap * 2 + 10; round++) {
      const now = new Date();
      const taken = await this.models.seats
        .find({ lessonId: request.lessonId }, { slot: 1, expiresAt: 1, userKey: 1 })
        .lean();
      const mine = taken.find((seat) => seat.userKey === request.userKey);
      if (mine) {
        // Another tab of this user won a seat meanwhile.
        return { granted: true, slot: (await this.renewOwn(request.lessonId, request.userKey)) ?? mine.slot };
      }
      const live = new Set(taken.filter((seat) => seat.expiresAt > now).map((seat) => seat.slot));
      const expired = new Set(taken.filter((seat) => seat.expiresAt <= now).map((seat) => seat.slot));
      const free: number[] = [];
      for (let slot = first; slot < request.seatCap; slot++) if (!live.has(slot)) free.push(slot);
      if (free.length === 0) return { granted: false };
      // Enrolled students fill reserved slots first; concurrent joiners pick different free slots.
      const preferred = request.kind === 'enrolled' ? free.filter((slot) => slot < reserved) : [];
      const pool = preferred.length > 0 ? preferred : free;
      const slot = pool[Math.floor(Math.random() * pool.length)]!;
      const id = `${request.lessonId}:${slot}`;
      if (expired.has(slot)) await this.models.seats.deleteOne({ _id: id, expiresAt: { $lte: now } });
      try {
        await this.models.seats.create({
          _id: id,
          lessonId: request.lessonId,
          slot,
          userKey: request.userKey,
          kind: request.kind,
          expiresAt: new Date(Date.now() + this.options.leaseMs),
        });
        return { granted: true, slot };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return { granted: false };
  }

  /** Keeps seats of connected users alive; called on a heartbeat well within the lease. */
  async renew(lessonId: string, userKeys: string[]): Promise<void> {
    if (userKeys.length === 0) return;
    await this.models.seats.updateMany(
      { lessonId, userKey: { $in: userKeys } },
      { $set: { expiresAt: new Date(Date.now() + this.options.leaseMs) } },
    );
  }

  /** The holder's last connection closed: the seat waits for a reconnect during the grace period. */
  async releaseAfterGrace(lessonId: string, userKey: string): Promise<void> {
    await this.models.seats.updateOne(
      { lessonId, userKey },
      { $set: { expiresAt: new Date(Date.now() + this.options.graceMs) } },
    );
  }

  /** Frees a seat at once (removal by the teacher, lesson end). Releasing twice is harmless. */
  async releaseNow(lessonId: string, userKey: string): Promise<void> {
    await this.models.seats.deleteOne({ lessonId, userKey });
  }

  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.seats.deleteMany({ userKey })).deletedCount;
  }

  async occupied(lessonId: string): Promise<number> {
    return this.models.seats.countDocuments({ lessonId, expiresAt: { $gt: new Date() } });
  }

  async clear(lessonId: string): Promise<void> {
    await this.models.seats.deleteMany({ lessonId });
  }

  private async renewOwn(lessonId: string, userKey: string): Promise<number | undefined> {
    const seat = await this.models.seats
      .findOneAndUpdate(
        { lessonId, userKey },
        { $set: { expiresAt: new Date(Date.now() + this.options.leaseMs) } },
        { new: true },
      )
      .lean();
    return seat?.slot;
  }
}
