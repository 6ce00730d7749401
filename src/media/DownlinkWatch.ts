import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { DownlinkHold, type DownlinkEstimate } from './downlinkHold.js';

type DownlinkWatchEvents = {
  /** The hold on the viewer's layers started or ended. */
  change: [held: boolean, estimate: DownlinkEstimate | null];
};

/**
 * Watches one receive transport's bandwidth estimate through mediasoup's
 * `bwe` trace (sent when mediasoup redistributes: on a sharp change, and
 * every few seconds otherwise; nothing is polled) and holds the viewer's
 * camera layers low after a sharp fall (see DownlinkHold).
 */
export class DownlinkWatch extends EventEmitter<DownlinkWatchEvents> {
  private readonly hold: DownlinkHold;
  private releaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: types.WebRtcTransport,
    now: () => number = Date.now,
  ) {
    super();
    this.hold = new DownlinkHold(now);
    transport.on('trace', (trace) => {
      if (trace.type !== 'bwe') return;
      const info = trace.info as { availableBitrate?: number };
      if (typeof info.availableBitrate === 'number') void this.estimate(info.availableBitrate);
    });
    transport.observer.once('close', () => this.stop());
  }

  /** Starts the watch: mediasoup sends nothing until asked. */
  async start(): Promise<void> {
    await this.transport.enableTraceEvent(['bwe']);
  }

  get held(): boolean {
    return this.hold.held;
  }

  private async estimate(availableBitrate: number): Promise<void> {
    // What the transport sends is asked only when the estimate fell sharply: a rare request.
    let sendBitrate = Number.POSITIVE_INFINITY;
    if (this.hold.fallsSharply(availableBitrate)) {
      const stats = await this.transport.getStats().catch(() => []);
      // Unknown (the transport closed meanwhile): no hold.
      sendBitrate = stats[0]?.sendBitrate ?? 0;
    }
    const estimate = { availableBitrate, sendBitrate };
    if (this.transport.closed || !this.hold.estimate(estimate)) return;
    this.emit('change', true, estimate);
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      this.hold.release();
      if (!this.transport.closed) this.emit('change', false, null);
    }, this.hold.remainingMs);
    this.releaseTimer.unref();
  }

  private stop(): void {
    clearTimeout(this.releaseTimer);
    this.removeAllListeners();
  }
}
