import { CoalescedRead } from '../shared/CoalescedRead.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import { SeatView } from './SeatView.js';

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

type SeatRow = { slot: number; userKey: string; expiresAt: Date };

/** Lessons whose seats this process keeps a view of; the oldest view goes first. */
const MAX_VIEWS = 1000;

/**
 * Seats of live lessons, shared by every Aula process through the database.
 * A seat is a slot document with a unique id per (lesson, slot) and a unique
 * (lesson, user) pair, so the cap and "one seat per user" hold under any race
 * without transactions.
 *
 * Taking a seat is one database operation in the common case: an upsert into
 * a slot this process believes free (SeatView), which succeeds when the slot
 * is free or its lease ran out, and fails on a unique key when it is live or
 * the user already holds a seat. Only then does the ledger read the lesson's
 * seats (one read shared by every take in flight) and try again; it refuses
 * only on what such a fresh read shows.
 *
 * On MongoDB the conditional upsert takes an expired slot atomically. FerretDB
 * 1.x evaluates the condition before writing, so two processes reclaiming the
 * same expired slot at the same moment can both succeed there; free slots, the
 * case of every class that fills up, are atomic on both (unique indexes).
 */
export class SeatLedger {
  private readonly views = new Map<string, { view: SeatView; read: CoalescedRead<SeatRow[]> }>();

  constructor(
    private readonly models: Models,
    private readonly options: SeatLedgerOptions,
  ) {}

  async take(request: SeatRequest): Promise<SeatResult> {
    const { view } = this.lesson(request.lessonId);
    const guess = view.pick(request, new Date());
    if (guess !== undefined && (await this.claim(request, guess, view)))
      return { granted: true, slot: guess };

    for (let round = 0; round < request.seatCap * 2 + 10; round++) {
      await this.refresh(request.lessonId);
      if (view.holds(request.userKey)) {
        // Another tab of this user holds a seat: it is theirs, renewed.
        const own = await this.renewOwn(request.lessonId, request.userKey);
        if (own !== undefined) return { granted: true, slot: own };
      }
      const slot = view.pick(request, new Date());
      if (slot === undefined) {
        // Free slots may only look taken because this process is claiming them right now.
        if (!(await view.settled())) return { granted: false };
        continue;
      }
      if (await this.claim(request, slot, view)) return { granted: true, slot };
    }
    return { granted: false };
  }

  /** Keeps seats of connected users alive; called on a heartbeat well within the lease. */
  async renew(lessonId: string, userKeys: string[]): Promise<void> {
    if (userKeys.length === 0) return;
    const expiresAt = new Date(Date.now() + this.options.leaseMs);
    await this.models.seats.updateMany({ lessonId, userKey: { $in: userKeys } }, { $set: { expiresAt } });
    this.views.get(lessonId)?.view.extend(userKeys, expiresAt);
  }

  /** The holder's last connection closed: the seat waits for a reconnect during the grace period. */
  async releaseAfterGrace(lessonId: string, userKey: string): Promise<void> {
    const expiresAt = new Date(Date.now() + this.options.graceMs);
    await this.models.seats.updateOne({ lessonId, userKey }, { $set: { expiresAt } });
    this.views.get(lessonId)?.view.extend([userKey], expiresAt);
  }

  /** Frees a seat at once (removal by the teacher, lesson end). Releasing twice is harmless. */
  async releaseNow(lessonId: string, userKey: string): Promise<void> {
    await this.models.seats.deleteOne({ lessonId, userKey });
    this.views.get(lessonId)?.view.release(userKey);
  }

  async eraseUser(userKey: string): Promise<number> {
    for (const { view } of this.views.values()) view.release(userKey);
    return (await this.models.seats.deleteMany({ userKey })).deletedCount;
  }

  async occupied(lessonId: string): Promise<number> {
    return this.models.seats.countDocuments({ lessonId, expiresAt: { $gt: new Date() } });
  }

  async clear(lessonId: string): Promise<void> {
    this.views.delete(lessonId);
    await this.models.seats.deleteMany({ lessonId });
  }

  private lesson(lessonId: string) {
    let entry = this.views.get(lessonId);
    if (!entry) {
      const view = new SeatView();
      const read = new CoalescedRead(async () => {
        const rows = await this.models.seats
          .find({ lessonId }, { slot: 1, userKey: 1, expiresAt: 1 })
          .lean<SeatRow[]>();
        view.replace(rows);
        return rows;
      });
      entry = { view, read };
      this.views.set(lessonId, entry);
      if (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    }
    return entry;
  }

  /** The lesson's seats as of now, read once for every take that is waiting for them. */
  private async refresh(lessonId: string): Promise<void> {
    await this.lesson(lessonId).read.get();
  }

  /**
   * One write: an insert into a slot the view shows free, or an upsert that
   * takes a slot whose lease ran out. A unique key refuses both when the slot
   * is live or this user holds another seat.
   */
  private async claim(request: SeatRequest, slot: number, view: SeatView): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.leaseMs);
    const _id = `${request.lessonId}:${slot}`;
    const seat = {
      lessonId: request.lessonId,
      slot,
      userKey: request.userKey,
      kind: request.kind,
      expiresAt,
    };
    // A plain insert is the cheapest write on every server; only an expired holder needs the condition.
    const write = view.knowsHolder(slot)
      ? this.models.seats.updateOne({ _id, expiresAt: { $lte: now } }, { $set: seat }, { upsert: true })
      : this.models.seats.insertMany([{ _id, ...seat }], { lean: true });
    const claimed = view.claiming(
      slot,
      write.then(
        () => true,
        (error: unknown) => {
          if (isDuplicateKey(error)) return false;
          throw error;
        },
      ),
    );
    const won = await claimed;
    view.record(slot, won ? { userKey: request.userKey, expiresAt } : undefined);
    return won;
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
