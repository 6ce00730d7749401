import type { RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestAttemptLimiter } from '../../src/classroom/GuestAttemptLimiter.js';
import { TooManyRequestsError } from '../../src/shared/errors.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { SharedLimits } from '../../src/store/SharedLimits.js';
import { testDatabaseUri } from '../support/testDatabase.js';

// Two Aula nodes are two connections to one database: each "node" here has its own
// connection and its own SharedLimits, as each Aula process does.

const uri = testDatabaseUri('sharedlimits');
const logger = createLogger({ level: 'silent' });
const nodes: Array<{ database: Database; limits: SharedLimits }> = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const database = await Database.connect(uri, logger);
    if (i === 0) await database.syncIndexes();
    nodes.push({ database, limits: new SharedLimits(database.models) });
  }
});

afterAll(async () => {
  await nodes[0]?.database.connection.dropDatabase().catch(() => undefined);
  for (const { database } of nodes) await database.close();
});

const node = (i: number) => nodes[i % nodes.length]!.limits;
const outcome = (promise: Promise<RateLimiterRes>) =>
  promise.then(
    () => 'allowed',
    (refusal: unknown) => {
      if (refusal instanceof Error) throw refusal;
      return 'refused';
    },
  );

describe('a rate limit shared by several nodes', () => {
  it('counts consumptions made on every node against one limit', async () => {
    const options = { keyPrefix: 'login', points: 4, duration: 60 };
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await outcome(node(i).limiter(options).consume('203.0.113.9')));
    expect(answers).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'refused', 'refused']);
    const seen = await node(2).limiter(options).get('203.0.113.9');
    expect(seen?.consumedPoints).toBe(6);
    expect(seen?.msBeforeNext).toBeGreaterThan(50_000);
  });

  it('lets exactly the limit through when nodes consume at the same moment', async () => {
    const options = { keyPrefix: 'burst', points: 5, duration: 60 };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => outcome(node(i).limiter(options).consume('one-key'))),
    );
    // The first five of the burst pass, wherever they arrived: none over the limit, none refused below it.
    expect(answers.filter((answer) => answer === 'allowed')).toHaveLength(5);
    // Nothing was lost either: every consumption is counted.
    expect((await node(0).limiter(options).get('one-key'))?.consumedPoints).toBe(30);
  });

  it('starts a new window when the old one ended, and blocks across nodes', async () => {
    const options = { keyPrefix: 'window', points: 1, duration: 1 };
    expect(await outcome(node(0).limiter(options).consume('k'))).toBe('allowed');
    expect(await outcome(node(1).limiter(options).consume('k'))).toBe('refused');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await outcome(node(1).limiter(options).consume('k'))).toBe('allowed');

    await node(0).limiter(options).block('k', 30);
    const blocked = await node(2).limiter(options).get('k');
    expect(blocked?.consumedPoints).toBe(2);
    expect(blocked?.msBeforeNext).toBeGreaterThan(25_000);
    await node(1).limiter(options).delete('k');
    expect(await node(2).limiter(options).get('k')).toBeNull();
  });

  it('hands out turns in order, one per interval, whichever node asks', async () => {
    const turns = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        node(i).turns('room', { turnMs: 10_000, maxQueueMs: 25_000 }).take('Chemistry'),
      ),
    );
    const waits = turns.map((turn) => ('waitMs' in turn ? Math.round(turn.waitMs / 10_000) : 'refused'));
    // Each turn once: now, in 10 s and in 20 s; the fourth would wait beyond the longest queue.
    expect(waits.sort()).toEqual([0, 1, 2, 'refused']);
  });
});

describe('guest password attempts on several nodes', () => {
  const limiter = (i: number) =>
    new GuestAttemptLimiter({ roomFailureBudget: 1000, globalFailureBudget: 1000 }, node(i), logger);
  const wrong = async () => undefined;

  it('makes an address wait after five wrong passwords, whichever node each reached', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await limiter(i).attempt('192.0.2.77', 'Room77', wrong)).toBeUndefined();
    }
    for (let i = 0; i < 3; i++) {
      await expect(limiter(i).attempt('192.0.2.77', 'Room77', async () => 'in')).rejects.toBeInstanceOf(
        TooManyRequestsError,
      );
    }
    // Another address is not affected.
    expect(await limiter(1).attempt('192.0.2.78', 'Room77', async () => 'in')).toBe('in');
  });

  it('keeps a burst of parallel guesses spread over nodes within the free failures', async () => {
    const slowWrong = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return undefined;
    };
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        limiter(i)
          .attempt('192.0.2.150', 'Room150', slowWrong)
          .then(
            () => 'checked',
            (error: unknown) => {
              if (error instanceof TooManyRequestsError) return 'refused';
              throw error;
            },
          ),
      ),
    );
    expect(answers.filter((answer) => answer === 'checked').length).toBeLessThanOrEqual(5);
  });
});
