import { describe, expect, it } from 'vitest';
import { DownlinkHold, FIRST_HOLD_MS } from '../../src/media/downlinkHold.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000_000;
  return { now: () => at, advance: (ms) => (at += ms) };
}

describe('the hold on a slow viewer line', () => {
  it('starts when the estimate falls sharply to near what is sent, and ends after the first hold', () => {
    const time = clock();
    const hold = new DownlinkHold(time.now);
    expect(hold.estimate({ availableBitrate: 2_400_000, sendBitrate: 650_000, lossFraction: 0.1 })).toBe(
      false,
    );
    expect(hold.estimate({ availableBitrate: 560_000, sendBitrate: 650_000, lossFraction: 0.1 })).toBe(true);
    expect(hold.held).toBe(true);
    time.advance(FIRST_HOLD_MS - 1);
    expect(hold.held).toBe(true);
    time.advance(1);
    expect(hold.held).toBe(false);
  });

  it('ignores a fall without loss: a busy machine delays packets on loopback, it does not drop them', () => {
    const hold = new DownlinkHold(clock().now);
    hold.estimate({ availableBitrate: 1_000_000, sendBitrate: 400_000, lossFraction: 0 });
    expect(hold.estimate({ availableBitrate: 200_000, sendBitrate: 400_000, lossFraction: 0.005 })).toBe(
      false,
    );
    expect(hold.held).toBe(false);
  });

  it('ignores an over-estimate corrected while the line still carries far more than is sent', () => {
    const hold = new DownlinkHold(clock().now);
    hold.estimate({ availableBitrate: 3_000_000, sendBitrate: 600_000, lossFraction: 0.1 });
    expect(hold.estimate({ availableBitrate: 1_500_000, sendBitrate: 600_000, lossFraction: 0.1 })).toBe(
      false,
    );
    // A slow decline is mediasoup's to follow on its own.
    expect(hold.estimate({ availableBitrate: 1_200_000, sendBitrate: 600_000, lossFraction: 0.1 })).toBe(
      false,
    );
    expect(hold.held).toBe(false);
  });

  it('holds twice as long when the line fails again soon after a hold, and starts over after a good while', () => {
    const time = clock();
    const hold = new DownlinkHold(time.now);
    const fail = () => {
      hold.estimate({ availableBitrate: 1_000_000, sendBitrate: 900_000, lossFraction: 0.1 });
      return hold.estimate({ availableBitrate: 500_000, sendBitrate: 900_000, lossFraction: 0.1 });
    };
    expect(fail()).toBe(true);
    expect(hold.remainingMs).toBe(FIRST_HOLD_MS);
    time.advance(FIRST_HOLD_MS);
    hold.release();
    time.advance(5_000);
    expect(fail()).toBe(true);
    expect(hold.remainingMs).toBe(2 * FIRST_HOLD_MS);
    time.advance(2 * FIRST_HOLD_MS);
    hold.release();
    time.advance(10 * 60_000);
    expect(fail()).toBe(true);
    expect(hold.remainingMs).toBe(FIRST_HOLD_MS);
  });
});
