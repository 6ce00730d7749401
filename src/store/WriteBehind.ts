import type { Logger } from '../shared/logger.js';
import type { DatabaseHealth } from './DatabaseHealth.js';

interface PendingWrite {
  label: string;
  write: () => Promise<unknown>;
}

/** Writes held in memory at most; beyond this a long outage loses the oldest ones (and says so). */
const MAX_PENDING = 20_000;
const RETRY_DELAYS_MS = [250, 500, 1000, 2000];

/**
 * Writes the live room does not wait for (chat messages, attendance, seat
 * releases, admissions): they are applied in order, one after another, and
 * retried while the database is away, so a lesson goes on during an outage
 * and nothing is missing after it. A write the database refuses for good
 * (not an outage) is logged and dropped.
 */
export class WriteBehind {
  private readonly queue: PendingWrite[] = [];
  private running: Promise<void> | undefined;
  private dropped = 0;

  constructor(
    private readonly health: DatabaseHealth,
    private readonly logger: Logger,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  enqueue(label: string, write: () => Promise<unknown>): void {
    if (this.queue.length >= MAX_PENDING) {
      this.queue.shift();
      this.dropped += 1;
      if (this.dropped === 1)
        this.logger.error({ max: MAX_PENDING }, 'enqueue() | write queue full, dropping oldest');
    }
    this.queue.push({ label, write });
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once every write queued so far is applied. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits until everything queued so far is written, or the deadline passes (shutdown). */
  async flush(deadlineMs: number): Promise<boolean> {
    const done = this.running ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const result = await Promise.race([done.then(() => true as const), expired]);
    clearTimeout(timer);
    if (!result)
      this.logger.warn({ pending: this.queue.length }, 'flush() | writes left unwritten at shutdown');
    return result;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      await this.attempt(head);
      this.queue.shift();
    }
  }

  private async attempt(pending: PendingWrite): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await pending.write();
        return;
      } catch (error) {
        if (!isOutage(error)) {
          this.logger.warn({ err: error, write: pending.label }, 'attempt() | write refused, dropped');
          return;
        }
        if (attempt === 0)
          this.logger.info({ write: pending.label }, 'attempt() | database away, write waits');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[Math.min(attempt, 3)]));
        await this.health.whenAvailable();
      }
    }
  }
}

/** Errors of a database that is away for now, as opposed to a write it refuses. */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  return (
    name === 'MongoNetworkError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongoServerSelectionError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoPoolClearedError' ||
    name === 'MongoTopologyClosedError' ||
    /buffering timed out|connection .* closed|ECONNREFUSED|ECONNRESET/i.test(error.message)
  );
}
