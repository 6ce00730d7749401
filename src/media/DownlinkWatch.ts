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
    // What the transport sends and loses is asked only when the estimate fell sharply: rarely.
    let sendBitrate = 0;
    let lossFraction = 0;
    if (this.hold.fallsSharply(availableBitrate)) {
      // Unknown (the transport closed meanwhile): no hold.
      const [stats] = await this.transport.getStats().catch(() => []);
      sendBitrate = stats?.sendBitrate ?? 0;
      // The worker reports it (transport-cc feedback); mediasoup 3.12's typings leave it out.
      lossFraction = (stats as { rtpPacketLossSent?: number } | undefined)?.rtpPacketLossSent ?? 0;
    }
    const estimate = { availableBitrate, sendBitrate, lossFraction };
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
