import { RateLimiterRes } from 'rate-limiter-flexible';
import { isDuplicateKey } from './mongoErrors.js';
import type { Models } from './models/index.js';

export interface DatabaseRateLimiterOptions {
  /** Keeps one limiter's keys apart from another's in the shared collection. */
  keyPrefix: string;
  points: number;
  /** Seconds a window lasts from its first consumption; 0 never ends it. */
  duration: number;
}

/** One key's current window: points consumed in it and when it ends. */
interface WindowState {
  points: number;
  expire: Date;
}

/** "Never" for windows without an end: far enough, and still a valid BSON date. */
const NEVER = Date.UTC(9999, 0, 1);

/**
 * A fixed-window rate limiter with rate-limiter-flexible's API, kept in
 * Aula's database and so shared by every node.
 *
 * The library's own RateLimiterMongo counts with one `findOneAndUpdate($inc)`
 * per key. MongoDB applies that atomically; FerretDB 1.24 does not (60
 * concurrent increments from three connections left a count of 2, and all of
 * 30 concurrent compare-and-set updates "won"), and it refuses the TTL index
 * the library creates. Here every consumption is a document of its own with
 * the next number in its key's sequence (`_id` is `${key}#${seq}`, so the
 * unique `_id` hands each number out once, on either database). A number is
 * taken only after its predecessor was read, so every consumption before one
 * is committed before it: the points up to and including a consumption are
 * exact, and of a burst on several nodes exactly the first `points` pass.
 * Expired documents are removed by the retention sweeper
 * (`SharedLimits.deleteExpired`). Answers are the library's `RateLimiterRes`;
 * `consume` rejects with one beyond `points`, as its limiters do.
 */
export class DatabaseRateLimiter {
  readonly keyPrefix: string;
  readonly points: number;
  readonly duration: number;
  private readonly records: Models['rateLimits'];

  constructor(models: Models, options: DatabaseRateLimiterOptions) {
    this.records = models.rateLimits;
    this.keyPrefix = options.keyPrefix;
    this.points = options.points;
    this.duration = options.duration;
  }

  async consume(key: string | number, pointsToConsume = 1): Promise<RateLimiterRes> {
    const res = this.result(await this.add(this.keyOf(key), pointsToConsume), pointsToConsume);
    if (res.consumedPoints <= this.points) return res;
    throw res;
  }

  async penalty(key: string | number, points = 1): Promise<RateLimiterRes> {
    return this.result(await this.add(this.keyOf(key), points), points);
  }

  async get(key: string | number): Promise<RateLimiterRes | null> {
    const state = await this.window(this.keyOf(key));
    return state ? this.result(state, 0) : null;
  }

  async block(key: string | number, secDuration: number): Promise<RateLimiterRes> {
    const state = await this.replace(this.keyOf(key), this.points + 1, secDuration * 1000);
    return this.result(state, this.points + 1);
  }

  async delete(key: string | number): Promise<boolean> {
    return (await this.records.deleteMany({ key: this.keyOf(key) })).deletedCount > 0;
  }

  private keyOf(key: string | number): string {
    return `${this.keyPrefix}:${key}`;
  }

  /**
   * Adds points to the key's live window, or opens one; answers the window's points up to and
   * including these (later consumptions of a burst are not ours to count).
   */
  private async add(rlKey: string, points: number): Promise<WindowState> {
    for (;;) {
      const records = await this.records
        .find({ key: rlKey }, { _id: 0, seq: 1, points: 1, expire: 1 })
        .lean();
      const before = liveWindow(records);
      const seq = nextSeq(records);
      const expire = before?.expire ?? this.end(this.duration * 1000);
      try {
        await this.records.create({ _id: `${rlKey}#${seq}`, key: rlKey, seq, points, expire });
      } catch (error) {
        // Another node took this number first: read again, behind it.
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      return { points: (before?.points ?? 0) + points, expire };
    }
  }

  /** Replaces the key's window by one of `points` lasting `ms` (block, set). */
  private async replace(rlKey: string, points: number, ms: number): Promise<WindowState> {
    const expire = this.end(ms);
    for (;;) {
      const records = await this.records.find({ key: rlKey }, { _id: 0, seq: 1 }).lean();
      const seq = nextSeq(records);
      try {
        await this.records.create({ _id: `${rlKey}#${seq}`, key: rlKey, seq, points, expire });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      // Ours stands; everything before it goes.
      await this.records.deleteMany({ key: rlKey, seq: { $lt: seq } });
      return { points, expire };
    }
  }

  private end(ms: number): Date {
    return new Date(ms > 0 ? Date.now() + ms : NEVER);
  }

  private async window(rlKey: string): Promise<WindowState | undefined> {
    return liveWindow(await this.records.find({ key: rlKey }, { _id: 0, points: 1, expire: 1 }).lean());
  }

  private result(state: WindowState, changedPoints: number): RateLimiterRes {
    const ends = state.expire.getTime();
    return new RateLimiterRes(
      Math.max(this.points - state.points, 0),
      ends >= NEVER ? -1 : Math.max(ends - Date.now(), 0),
      state.points,
      state.points === changedPoints,
    );
  }
}

/**
 * A key's live window: the sum of its live consumptions, ending with the
 * earliest of them (two nodes opening a window at once differ by moments).
 */
function liveWindow(records: Array<{ points: number; expire: Date }>): WindowState | undefined {
  const now = Date.now();
  let window: WindowState | undefined;
  for (const record of records) {
    if (record.expire.getTime() <= now) continue;
    if (!window) window = { points: 0, expire: record.expire };
    window.points += record.points;
    if (record.expire < window.expire) window.expire = record.expire;
  }
  return window;
}

/** The number after the highest a key's consumptions carry. */
function nextSeq(records: Array<{ seq?: number | null }>): number {
  return records.reduce((last, record) => Math.max(last, record.seq ?? -1), -1) + 1;
}
