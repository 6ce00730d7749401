import type { Logger } from '../shared/logger.js';
import type { NoteRefusal, RefusalKind } from '../shared/refusalKinds.js';
import type { Models } from './models/index.js';

export type { NoteRefusal, RefusalKind };

export interface RefusalSummary {
  kind: RefusalKind;
  subject: string;
  count: number;
  lastAt: Date;
}

const HOUR_MS = 60 * 60_000;
/** Distinct (kind, subject) pairs kept between two writes; more arrive as the kind's `other`. */
const MAX_PENDING = 200;
const MAX_SUBJECT = 120;
/** Refusals older than this are swept. */
const KEEP_MS = 7 * 24 * HOUR_MS;

/**
 * Counts refusals in memory and adds them to the database every few seconds,
 * in one document per hour, node, kind and subject (see operationsModels):
 * a flood of refusals costs a map entry each, not a write each, and every
 * node's counts show on every node's /admin. Bounded: at most MAX_PENDING
 * subjects wait in memory, and the sweeper deletes what is a week old.
 */
export class RefusalLog {
  private pending = new Map<string, { kind: RefusalKind; subject: string; count: number; lastAt: Date }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly models: Models,
    private readonly nodeId: string,
    private readonly options: { flushMs: number },
    private readonly logger: Logger,
  ) {}

  readonly note: NoteRefusal = (kind, subject = '') => {
    let trimmed = subject.slice(0, MAX_SUBJECT);
    let key = `${kind}|${trimmed}`;
    if (!this.pending.has(key) && this.pending.size >= MAX_PENDING) {
      trimmed = 'other';
      key = `${kind}|${trimmed}`;
    }
    const entry = this.pending.get(key) ?? { kind, subject: trimmed, count: 0, lastAt: new Date() };
    entry.count += 1;
    entry.lastAt = new Date();
    this.pending.set(key, entry);
  };

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** Writes what was counted since the last write; one write at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  /** The refusals of the last `sinceMs` on every node, this node's latest included; newest first. */
  async recent(sinceMs = 24 * HOUR_MS, limit = 50): Promise<RefusalSummary[]> {
    await this.flush();
    const since = new Date(Math.floor((Date.now() - sinceMs) / HOUR_MS) * HOUR_MS);
    const records = await this.models.refusals.find({ hour: { $gte: since } }).lean();
    const merged = new Map<string, RefusalSummary>();
    for (const record of records) {
      const key = `${record.kind}|${record.subject}`;
      const summary = merged.get(key);
      if (summary) {
        summary.count += record.count;
        if (record.lastAt > summary.lastAt) summary.lastAt = record.lastAt;
      } else {
        merged.set(key, {
          kind: record.kind as RefusalKind,
          subject: record.subject,
          count: record.count,
          lastAt: record.lastAt,
        });
      }
    }
    return [...merged.values()].sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime()).slice(0, limit);
  }

  /** For the retention sweeper. */
  async deleteExpired(now: Date): Promise<number> {
    const before = new Date(now.getTime() - KEEP_MS);
    return (await this.models.refusals.deleteMany({ hour: { $lt: before } })).deletedCount;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.models.refusals.bulkWrite(
        [...batch.values()].map(({ kind, subject, count, lastAt }) => {
          const hour = new Date(Math.floor(lastAt.getTime() / HOUR_MS) * HOUR_MS);
          return {
            updateOne: {
              filter: { _id: `${hour.toISOString()}|${this.nodeId}|${kind}|${subject}` },
              update: {
                $inc: { count },
                $max: { lastAt },
                $setOnInsert: { hour, nodeId: this.nodeId, kind, subject },
              },
              upsert: true,
            },
          };
        }),
        { ordered: false },
      );
    } catch (error) {
      // Counts are for a person's eye: lost ones are logged, never retried into a growing backlog.
      this.logger.warn({ err: error, kinds: batch.size }, 'flush() | refusal counts not written');
    }
  }
}
