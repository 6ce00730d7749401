/**
 * When a viewer's line is slow, hold their camera layers low for a while.
 *
 * mediasoup's bandwidth estimation (transport-cc) moves a slow receiver to
 * lower layers, and ten seconds later tries the higher ones again: on a line
 * that is still slow, that probe overflows it and the picture freezes for
 * seconds, every ten seconds. A hold keeps the preferred layers at the
 * lowest after a sharp fall of the estimate, first for 20 s, twice as long
 * each time the line fails again soon after, so a weak line settles on the
 * lowest layer and a line that recovered gets its layers back.
 */

/** A fall of the estimate at least this steep between two of mediasoup's notices is a slow line... */
const SHARP_FALL = 0.75;
/** ...if the estimate ends below what the transport sends times this: not just an over-estimate corrected... */
const NEAR_SENDING = 1.5;
/** ...and packets are lost on the way: a busy machine delays packets on loopback, a slow line drops them. */
const LOSSY = 0.02;
export const FIRST_HOLD_MS = 20_000;
const LONGEST_HOLD_MS = 80_000;
/** A line that held up this long after a hold starts over with the first hold. */
const FORGET_AFTER_MS = 120_000;

export interface DownlinkEstimate {
  /** mediasoup's estimate of what the line carries, bit/s. */
  availableBitrate: number;
  /** What the transport sends right now, bit/s. */
  sendBitrate: number;
  /** The share of sent packets the receiver reported lost lately (transport-cc), 0 to 1. */
  lossFraction: number;
}

export class DownlinkHold {
  private previousEstimate = 0;
  private heldUntil = 0;
  private nextHoldMs = FIRST_HOLD_MS;
  private releasedAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether the viewer's camera layers are held low now. */
  get held(): boolean {
    return this.now() < this.heldUntil;
  }

  /** How long until the hold ends, 0 when not held. */
  get remainingMs(): number {
    return Math.max(0, this.heldUntil - this.now());
  }

  /** Whether a new estimate is a sharp fall toward what is sent (before asking what is sent). */
  fallsSharply(availableBitrate: number): boolean {
    return this.previousEstimate > 0 && availableBitrate < this.previousEstimate * SHARP_FALL;
  }

  /** A new estimate of mediasoup's; true when it starts a hold. */
  estimate(estimate: DownlinkEstimate): boolean {
    const sharp = this.fallsSharply(estimate.availableBitrate);
    this.previousEstimate = estimate.availableBitrate;
    if (!sharp || this.held) return false;
    if (estimate.availableBitrate >= estimate.sendBitrate * NEAR_SENDING || estimate.lossFraction < LOSSY)
      return false;
    const now = this.now();
    if (this.releasedAt > 0 && now - this.releasedAt > FORGET_AFTER_MS) this.nextHoldMs = FIRST_HOLD_MS;
    this.heldUntil = now + this.nextHoldMs;
    this.nextHoldMs = Math.min(LONGEST_HOLD_MS, this.nextHoldMs * 2);
    return true;
  }

  /** The hold ran out: remembered, so that a line failing again soon is held longer. */
  release(): void {
    this.heldUntil = 0;
    this.releasedAt = this.now();
  }
}
