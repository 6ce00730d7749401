import { EventEmitter } from 'node:events';
import { ServiceUnavailableError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/** Seconds after which a refused launch or join is worth trying again. */
export const RETRY_AFTER_SECONDS = 5;

export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('Aula is busy, try again in a moment.', 'DATABASE_UNAVAILABLE', RETRY_AFTER_SECONDS);
  }
}

type HealthEvents = {
  down: [];
  up: [downForMs: number];
};

export interface DatabaseHealthOptions {
  /** How often the database is pinged. */
  intervalMs: number;
  /** A ping slower than this counts as a failure. */
  timeoutMs: number;
  /** Failed pings in a row before the database counts as away: one slow answer under load is not an outage. */
  failuresToDown?: number;
}

/**
 * Whether the database answers right now, from a ping every second. A paused
 * or unreachable database does not fail requests by itself (the driver waits),
 * so the launch and join paths ask this instead of waiting: they answer
 * "busy, try again" within seconds, and queued writes wait for `up`.
 */
export class DatabaseHealth extends EventEmitter<HealthEvents> {
  private available = true;
  private downSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private failures = 0;

  constructor(
    private readonly ping: (timeoutMs: number) => Promise<boolean>,
    private readonly options: DatabaseHealthOptions,
    private readonly logger: Logger,
  ) {
    super();
    // Every guarded operation in flight listens for `down`: a burst of requests means many listeners.
    this.setMaxListeners(0);
  }

  get isAvailable(): boolean {
    return this.available;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves when the database answers again (at once if it does now). */
  whenAvailable(): Promise<void> {
    if (this.available) return Promise.resolve();
    return new Promise((resolve) => this.once('up', () => resolve()));
  }

  /**
   * Runs a database operation a person waits for (a seat, a lesson start):
   * refused at once while the database is away, and abandoned as soon as it
   * goes away meanwhile, so the answer comes within seconds, not minutes.
   * An abandoned operation still runs to its end once the database is back:
   * `abandoned` gets its result then, to undo what nobody waits for any more.
   */
  async guard<T>(operation: () => Promise<T>, abandoned?: (result: T) => void): Promise<T> {
    if (!this.available) throw new DatabaseUnavailableError();
    let onDown: (() => void) | undefined;
    let gaveUp = false;
    const wentDown = new Promise<never>((_, reject) => {
      onDown = () => {
        gaveUp = true;
        reject(new DatabaseUnavailableError());
      };
      this.once('down', onDown);
    });
    const running = operation();
    running.then(
      (result) => {
        if (gaveUp) abandoned?.(result);
      },
      // Its failure was either answered already or belongs to an abandoned attempt.
      () => undefined,
    );
    try {
      return await Promise.race([running, wentDown]);
    } finally {
      this.off('down', onDown!);
    }
  }

  /** Pings now; used by the periodic check and by anyone who cannot wait for it. */
  async check(): Promise<boolean> {
    if (this.checking) return this.available;
    this.checking = true;
    try {
      const ok = await this.ping(this.options.timeoutMs);
      this.failures = ok ? 0 : this.failures + 1;
      if (ok && !this.available) {
        this.available = true;
        const downForMs = Date.now() - this.downSince;
        this.logger.warn({ downForMs }, 'check() | database answers again');
        this.emit('up', downForMs);
      } else if (!ok && this.available && this.failures >= (this.options.failuresToDown ?? 2)) {
        this.available = false;
        this.downSince = Date.now();
        this.logger.warn('check() | database does not answer');
        this.emit('down');
      }
      return ok;
    } finally {
      this.checking = false;
    }
  }
}
