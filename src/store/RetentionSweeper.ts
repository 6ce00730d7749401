import type { Logger } from '../shared/logger.js';

/** Deletes the records of one collection whose retention period ended before `now`; returns how many. */
export type DeleteExpired = (now: Date) => Promise<number>;

export interface SweepResult {
  deleted: Record<string, number>;
}

/**
 * Enforces retention on a schedule by asking each collection's owner to
 * delete what expired. A sweeper instead of TTL indexes works the same on
 * MongoDB and on FerretDB, which rejects TTL indexes.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  /** The last sweep on this node: when it ran and what it deleted. */
  lastSweep: { at: Date; deleted: Record<string, number> } | undefined;

  constructor(
    private readonly owners: Record<string, DeleteExpired>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  async sweep(now = new Date()): Promise<SweepResult> {
    const deleted: Record<string, number> = {};
    for (const [name, deleteExpired] of Object.entries(this.owners)) deleted[name] = await deleteExpired(now);
    this.lastSweep = { at: now, deleted };
    return { deleted };
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const { deleted } = await this.sweep();
      const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
      if (total > 0) this.logger.info({ deleted }, 'sweep() | expired records deleted');
    } catch (error) {
      this.logger.error({ err: error }, 'sweep() | retention sweep failed');
    }
  }
}
