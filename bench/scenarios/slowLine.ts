import { SlowLineLesson } from '../../test/support/network/slowLineLesson.js';
import { benchDatabase, percentile } from '../environment.js';
import type { Benchmark } from '../run.js';

const ROUNDS = 3;
const LIMITED_MS = 20_000;

/**
 * The slow-line lesson of test/slowLine, measured: a student behind a
 * 600 kbit/s token bucket while the teacher (720p, pinned) and four
 * classmates send cameras. Per round, the longest time no frame of the
 * teacher's camera arrived and no packet of the teacher's voice (goal of
 * issue 31: a freeze of at most 1 s, the voice continuous).
 */
export const slowLine: Benchmark = {
  name: 'slow-line',
  description: `longest video freeze and audio gap of a student on a 600 kbit/s line, ${ROUNDS} rounds`,
  async run() {
    if (!SlowLineLesson.available()) throw new Error('needs root for network namespaces (ip netns, tc)');
    const db = await benchDatabase();
    const rounds: Array<{
      longestFreezeMs: number;
      longestSilenceMs: number;
      lowestLayerAfterMs: number | null;
    }> = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const lesson = await SlowLineLesson.start({
          mongoUri: db.uri(`aula_bench_slowline_${Date.now()}`),
          chromiumPath: process.env.AULA_CHROMIUM_PATH ?? '/usr/bin/chromium',
        });
        try {
          lesson.limitDownlink('600kbit');
          const watched = await lesson.watch(LIMITED_MS);
          const lowest = watched.heights.findIndex((height) => height > 0 && height <= 240);
          rounds.push({
            longestFreezeMs: watched.longestFreezeMs,
            longestSilenceMs: watched.longestSilenceMs,
            // Heights are seen once per new frame sample; a rough time to the lowest layer.
            lowestLayerAfterMs: lowest < 0 ? null : lowest * 250,
          });
        } finally {
          await lesson.close();
        }
      }
    } finally {
      await db.stop();
    }
    const freezes = rounds.map((r) => r.longestFreezeMs);
    const silences = rounds.map((r) => r.longestSilenceMs);
    return {
      settings: { rounds: ROUNDS, limitedMs: LIMITED_MS, rate: '600kbit', goalFreezeMs: 1000 },
      results: {
        rounds,
        longestFreezeMsMedian: percentile(freezes, 50),
        longestFreezeMsMax: Math.max(...freezes),
        longestSilenceMsMax: Math.max(...silences),
      },
      summary:
        `longest freeze median ${percentile(freezes, 50)} ms, max ${Math.max(...freezes)} ms (goal ≤ 1000); ` +
        `longest audio gap ${Math.max(...silences)} ms`,
    };
  },
};
