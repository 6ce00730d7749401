import { randomId } from '../shared/ids.js';
import { DatabaseRateLimiter, type DatabaseRateLimiterOptions } from './DatabaseRateLimiter.js';
import type { Models } from './models/index.js';
import { isDuplicateKey } from './mongoErrors.js';

export type LimiterOptions = DatabaseRateLimiterOptions;

export type Turn = { waitMs: number } | { refusedForMs: number };

/** How long a turn record outlives its turn: long enough for the next one to be placed after it. */
const TURN_RECORD_SLACK_MS = 60_000;

/**
 * Turns on a key, handed out in arrival order one per `turnMs` across every
 * node: a turn is the insert of `${key}|${seq}`, so two nodes reading the same
 * last turn cannot both take the next one; the loser reads again and queues
 * behind it.
 */
export class TurnQueue {
  constructor(
    private readonly models: Models,
    private readonly prefix: string,
    private readonly options: { turnMs: number; maxQueueMs: number },
  ) {}

  /** Takes the next turn, or says how long beyond the longest queue it would have been. */
  async take(name: string): Promise<Turn> {
    const key = `${this.prefix}:${name}`;
    const { turnMs, maxQueueMs } = this.options;
    for (let round = 0; round < 50; round++) {
      const now = Date.now();
      const [last] = await this.models.rateLimitTurns.find({ key }).sort({ seq: -1 }).limit(1).lean();
      const at = Math.max(now, last ? last.at.getTime() + turnMs : now);
      const waitMs = at - now;
      if (waitMs > maxQueueMs) return { refusedForMs: waitMs - maxQueueMs };
      const seq = (last?.seq ?? 0) + 1;
      try {
        await this.models.rateLimitTurns.create({
          _id: `${key}|${seq}`,
          key,
          seq,
          at: new Date(at),
          expire: new Date(at + turnMs + TURN_RECORD_SLACK_MS),
        });
        return { waitMs };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    // Fifty nodes raced for every turn in a row: the queue is as busy as it gets.
    return { refusedForMs: turnMs };
  }
}

/**
 * Work in progress on a key across every node (guest password checks of one
 * address, say): `enter` counts the caller in and answers how many are in now,
 * the caller included; `leave` counts it out. An entry whose node died ends
 * by itself after `maxMs`.
 */
export class InFlightCounter {
  constructor(
    private readonly models: Models,
    private readonly prefix: string,
    private readonly maxMs: number,
  ) {}

  async enter(name: string): Promise<{ count: number; leave: () => Promise<void> }> {
    const key = `${this.prefix}:${name}`;
    const id = randomId();
    await this.models.rateLimits.create({
      _id: id,
      key,
      points: 1,
      expire: new Date(Date.now() + this.maxMs),
    });
    const inside = await this.models.rateLimits.find({ key, expire: { $gt: new Date() } }, { _id: 1 }).lean();
    return {
      count: inside.length,
      leave: async () => {
        await this.models.rateLimits.deleteOne({ _id: id });
      },
    };
  }
}

/**
 * Limits every node shares, kept in the database: rate limiters
 * (rate-limiter-flexible's API), turn queues and in-flight counters. They work
 * on MongoDB and on FerretDB alike, relying only on inserts being atomic.
 */
export class SharedLimits {
  constructor(private readonly models: Models) {}

  limiter(options: LimiterOptions): DatabaseRateLimiter {
    return new DatabaseRateLimiter(this.models, options);
  }

  turns(prefix: string, options: { turnMs: number; maxQueueMs: number }): TurnQueue {
    return new TurnQueue(this.models, prefix, options);
  }

  inFlight(prefix: string, maxMs: number): InFlightCounter {
    return new InFlightCounter(this.models, prefix, maxMs);
  }

  /** For the retention sweeper: windows, turns and entries that ended. */
  async deleteExpired(now: Date): Promise<number> {
    const limits = await this.models.rateLimits.deleteMany({ expire: { $lt: now } });
    const turns = await this.models.rateLimitTurns.deleteMany({ expire: { $lt: now } });
    return limits.deletedCount + turns.deletedCount;
  }
}
