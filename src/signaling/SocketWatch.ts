import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import type { Logger } from '../shared/logger.js';

export interface SocketLimits {
  /** Messages per second per socket, on average over a few seconds. */
  perSecond: number;
}

/**
 * The average is kept over this window rather than each second: a student
 * joining a full class resumes one consumer per microphone and tile, some
 * sixty requests within a second, and must not lose any of them.
 */
const RATE_WINDOW_SECONDS = 5;
/** A socket that keeps sending after this many refusals in one window is flooding, not busy: it is cut off. */
const ABUSE_FACTOR = 3;
/** One log line per kind of trouble per socket in this time; the rest are counted into the next. */
const LOG_INTERVAL_MS = 10_000;

/**
 * Watches one socket for what its client sends: every message (known,
 * unknown, with or without acknowledgement) counts against its rate limit;
 * a socket far beyond it is disconnected; and its troubles are logged once
 * per interval, so no client can write the server's log.
 */
export class SocketWatch {
  private readonly limiter: RateLimiterMemory;
  private readonly refusals: RateLimiterMemory;
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private cutOff = false;

  constructor(
    private readonly socket: Socket,
    limits: SocketLimits,
    private readonly logger: Logger,
  ) {
    const points = limits.perSecond * RATE_WINDOW_SECONDS;
    this.limiter = new RateLimiterMemory({ points, duration: RATE_WINDOW_SECONDS });
    this.refusals = new RateLimiterMemory({ points: points * ABUSE_FACTOR, duration: RATE_WINDOW_SECONDS });
    socket.once('disconnect', () => this.summarise());
  }

  /** Counts a message; undefined when within the limit, else the seconds until the client may send again. */
  async count(): Promise<number | undefined> {
    try {
      await this.limiter.consume(this.socket.id);
      return undefined;
    } catch (rejection) {
      await this.refused();
      return Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000);
    }
  }

  /** Logs at info, at most once per kind per interval; what was held back is counted in the next line. */
  note(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(kind) ?? 0) < LOG_INTERVAL_MS) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    const held = this.suppressed.get(kind) ?? 0;
    this.suppressed.delete(kind);
    this.lastLogged.set(kind, now);
    this.logger.info({ socketId: this.socket.id, ...fields, ...(held ? { suppressed: held } : {}) }, message);
  }

  private async refused(): Promise<void> {
    try {
      await this.refusals.consume(this.socket.id);
    } catch {
      if (this.cutOff) return;
      this.cutOff = true;
      this.logger.warn(
        { socketId: this.socket.id },
        'count() | socket flooding beyond its rate limit, disconnected',
      );
      this.socket.disconnect(true);
    }
  }

  private summarise(): void {
    const held = Object.fromEntries(this.suppressed);
    if (this.suppressed.size > 0) {
      this.logger.info(
        { socketId: this.socket.id, suppressed: held },
        'disconnect() | messages not logged one by one',
      );
    }
  }
}
