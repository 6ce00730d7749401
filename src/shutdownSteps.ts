import type { Logger } from './shared/logger.js';

/**
 * Shutdown order, whatever the start-up order: hand rooms to other nodes,
 * stop accepting, close sockets, close rooms, close media workers, close
 * ltijs, close the database, stop the local database server.
 */
const SHUTDOWN_ORDER = [
  'drain',
  'http',
  'signaling',
  'rooms',
  'workers',
  'ltijs',
  'database',
  'local database',
] as const;

export type ShutdownStep = (typeof SHUTDOWN_ORDER)[number];

/** What start-up opened, closed in the shutdown order; a step that fails is logged and the rest go on. */
export class ShutdownSteps {
  private readonly steps = new Map<ShutdownStep, () => Promise<void> | void>();

  constructor(private readonly logger: Logger) {}

  set(step: ShutdownStep, close: () => Promise<void> | void): void {
    this.steps.set(step, close);
  }

  async closeAll(): Promise<void> {
    for (const step of SHUTDOWN_ORDER) {
      const close = this.steps.get(step);
      if (!close) continue;
      try {
        await close();
      } catch (error) {
        this.logger.error({ err: error, step }, 'close() | shutdown step failed');
      }
    }
    this.steps.clear();
  }
}
