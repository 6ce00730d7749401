import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/browser.js';
import { SlowLineLesson } from '../support/network/slowLineLesson.js';
import { testDatabaseUri } from '../support/testDatabase.js';

// A student on a slow home line (issues 18 and 31): mediasoup's bandwidth
// estimation must move her to lower layers instead of letting video stop,
// Aula must hold her there while the line is slow, keep the voice, and bring
// the normal layers back once the line is fast again. The `slow-line`
// benchmark prints how long the picture froze.

const available = SlowLineLesson.available();
let lesson: SlowLineLesson | undefined;

beforeAll(async () => {
  if (!available) return;
  lesson = await SlowLineLesson.start({
    mongoUri: testDatabaseUri('slowline'),
    chromiumPath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
  });
});

afterAll(async () => {
  await lesson?.close();
});

describe.skipIf(!available)('a student on a slow line', () => {
  it('keeps audio, holds the teacher on the lowest layer without a lasting freeze, and recovers when the line is fast again', async () => {
    const slow = lesson!;
    slow.limitDownlink('600kbit');
    const limited = await slow.watch(20_000);
    expect(limited.longestSilenceMs, 'the voice went quiet').toBeLessThan(1_000);
    // The estimation moves the teacher down to the lowest layer, and Aula holds it there while the
    // line stays slow: no probe upwards that would overflow the line again (mediasoup's own probe
    // comes 10 s after its step down).
    const heights = limited.heights.map(({ atMs, height }) => `${atMs}:${height}`).join(' ');
    const lowest = limited.heights.find(({ height }) => height > 0 && height <= 240);
    expect(lowest, heights).toBeDefined();
    const late = limited.heights.filter(({ atMs }) => atMs >= 10_000);
    expect(late.length > 0 && late.every(({ height }) => height <= 240), heights).toBe(true);
    // No lasting freeze: issue 31's goal is at most 1 s (the slow-line benchmark prints it); twice
    // that is a picture that stopped.
    expect(limited.longestFreezeMs, 'the video froze').toBeLessThanOrEqual(2_000);

    slow.liftDownlinkLimit();
    // Back above the lowest layer. The estimation probes upwards in steps, and on a busy
    // machine the encoder may scale the top layer down a step: layers, not exact sizes.
    await eventually(
      async () => ((await slow.teacherHeight()) > 240 ? true : undefined),
      "the teacher's spotlight layer again",
      30_000,
    );
  });
});
