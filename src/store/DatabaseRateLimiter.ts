import { RateLimiterCompatibleAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { randomId } from '../shared/ids.js';
import type { Models } from './models/index.js';

export interface DatabaseRateLimiterOptions {
  /** Keeps one limiter's keys apart from another's in the shared collection. */
  keyPrefix: string;
  points: number;
  /** Seconds a window lasts from its first consumption; 0 never ends it. */
  duration: number;
  /** Seconds a key stays blocked once a consume went over `points` (0: only until the window ends). */
  blockDuration?: number;
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
 * the library creates. Here every consumption is a document of its own (an
 * insert, which nothing can lose) carrying its window's end, and a key's count
 * is the sum over its live documents, read after the insert. A read sees at
 * least every consumption committed before it, so concurrent consumers may
 * see a count that is too high, never one that is too low: a limit is never
 * exceeded, on either database. Expired documents are removed by the
 * retention sweeper (`SharedLimits.deleteExpired`).
 *
 * A `RateLimiterCompatibleAbstract`, so the library's wrappers (union,
 * queue, insurance) accept it; `consume` rejects with a `RateLimiterRes`
 * beyond `points`, as every limiter of the library does.
 */
export class DatabaseRateLimiter extends RateLimiterCompatibleAbstract {
  override readonly keyPrefix: string;
  override blockDuration: number;
  override execEvenly = false;
  readonly points: number;
  readonly duration: number;
  private readonly records: Models['rateLimits'];

  constructor(models: Models, options: DatabaseRateLimiterOptions) {
    super();
    this.records = models.rateLimits;
    this.keyPrefix = options.keyPrefix;
    this.points = options.points;
    this.duration = options.duration;
    this.blockDuration = options.blockDuration ?? 0;
  }

  override async consume(key: string | number, pointsToConsume = 1): Promise<RateLimiterRes> {
    const rlKey = this.keyOf(key);
    const state = await this.add(rlKey, pointsToConsume);
    const res = this.result(state, pointsToConsume);
    if (res.consumedPoints <= this.points) return res;
    // The consume that went over blocks the key, the ones after it are refused until then.
    if (this.blockDuration > 0 && res.consumedPoints - pointsToConsume <= this.points) {
      const blocked = await this.replace(rlKey, res.consumedPoints, this.blockDuration * 1000);
      throw this.result(blocked, pointsToConsume);
    }
    throw res;
  }

  override async penalty(key: string | number, points = 1): Promise<RateLimiterRes> {
    return this.result(await this.add(this.keyOf(key), points), points);
  }

  override async reward(key: string | number, points = 1): Promise<RateLimiterRes> {
    return this.result(await this.add(this.keyOf(key), -points), -points);
  }

  override async get(key: string | number): Promise<RateLimiterRes | null> {
    const state = await this.window(this.keyOf(key));
    return state ? this.result(state, 0) : null;
  }

  override async set(key: string | number, points: number, secDuration: number): Promise<RateLimiterRes> {
    const ms = (secDuration >= 0 ? secDuration : this.duration) * 1000;
    return this.result(await this.replace(this.keyOf(key), points, ms), points);
  }

  override async block(key: string | number, secDuration: number): Promise<RateLimiterRes> {
    const state = await this.replace(this.keyOf(key), this.points + 1, secDuration * 1000);
    return this.result(state, this.points + 1);
  }

  override async delete(key: string | number): Promise<boolean> {
    return (await this.records.deleteMany({ key: this.keyOf(key) })).deletedCount > 0;
  }

  private keyOf(key: string | number): string {
    return `${this.keyPrefix}:${key}`;
  }

  /** Adds points to the key's live window, or opens one. */
  private async add(rlKey: string, points: number): Promise<WindowState> {
    const current = await this.window(rlKey);
    const expire = current?.expire ?? this.end(this.duration * 1000);
    await this.records.create({ _id: randomId(), key: rlKey, points, expire });
    return (await this.window(rlKey)) ?? { points, expire };
  }

  /** Replaces the key's window by one of `points` lasting `ms` (block, set). */
  private async replace(rlKey: string, points: number, ms: number): Promise<WindowState> {
    const expire = this.end(ms);
    await this.records.deleteMany({ key: rlKey });
    await this.records.create({ _id: randomId(), key: rlKey, points, expire });
    return { points, expire };
  }

  private end(ms: number): Date {
    return new Date(ms > 0 ? Date.now() + ms : NEVER);
  }

  /**
   * The key's live window: the sum of its live consumptions, ending with the
   * earliest of them (two nodes opening a window at once differ by moments).
   */
  private async window(rlKey: string): Promise<WindowState | undefined> {
    const live = await this.records
      .find({ key: rlKey, expire: { $gt: new Date() } }, { _id: 0, points: 1, expire: 1 })
      .lean();
    if (live.length === 0) return undefined;
    let points = 0;
    let expire = live[0]!.expire;
    for (const record of live) {
      points += record.points;
      if (record.expire < expire) expire = record.expire;
    }
    return { points, expire };
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
