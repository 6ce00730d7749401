import { launchBrowser } from '../../test/support/browser.js';
import { startTestAula } from '../../test/support/testAula.js';
import { benchDatabase, childProcesses, percentile, ratio } from '../environment.js';
import type { Benchmark } from '../run.js';
import { runLesson, STUDENTS, type LessonFigures } from './e2eeLesson.js';

const WINDOW_MS = Number(process.env.E2EE_WINDOW_MS ?? 20_000);
const JOINS = Number(process.env.E2EE_JOINS ?? 7);
const KEY_CHANGES = Number(process.env.E2EE_KEY_CHANGES ?? 7);

/** The Chromium this benchmark launches next: the child process that was not there before. */
async function launchMeasured() {
  const before = new Set(childProcesses());
  const browser = await launchBrowser();
  const pid = childProcesses().find((child) => !before.has(child));
  if (!pid) throw new Error('the measured browser has no process of its own');
  return { browser, pid };
}

/**
 * End-to-end encrypted lessons (issue 32) against the same lesson
 * unencrypted: the CPU a browser spends sending one camera and receiving
 * eight, the time from a join to the first decoded frame, and how long after
 * a key change every receiver of every page plays the new key's frames.
 */
export const e2ee: Benchmark = {
  name: 'e2ee',
  description: `end-to-end encryption's cost: browser CPU for 1 sent + ${STUDENTS} received cameras, join to first frame, key change to media back`,
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({ MONGODB_URI: db.uri(`aula_bench_e2ee_${Date.now()}`) });
    const measured = await launchMeasured();
    const others = await launchBrowser();
    const figures: Record<'plain' | 'encrypted', LessonFigures | undefined> = {
      plain: undefined,
      encrypted: undefined,
    };
    try {
      const browsers = { measured: measured.browser, measuredPid: measured.pid, others };
      const settings = { windowMs: WINDOW_MS, joins: JOINS, keyChanges: KEY_CHANGES };
      figures.plain = await runLesson(aula, browsers, { ...settings, encrypted: false });
      figures.encrypted = await runLesson(aula, browsers, { ...settings, encrypted: true });
    } finally {
      await others.close();
      await measured.browser.close();
      await aula.stop();
      await db.stop();
    }
    const { plain, encrypted } = figures as Record<'plain' | 'encrypted', LessonFigures>;
    const p50 = (values: number[]) => percentile(values, 50);
    const results = {
      browserCpu: {
        plainPercent: plain.browserCpuPercent,
        encryptedPercent: encrypted.browserCpuPercent,
        ratio: ratio(encrypted.browserCpuPercent, plain.browserCpuPercent),
        goalRatio: 1.3,
        receivedFramesPerSecond: {
          plain: plain.receivedFramesPerSecond,
          encrypted: encrypted.receivedFramesPerSecond,
        },
        cipherFramesPerSecond: encrypted.cipherFramesPerSecond,
      },
      joinToFirstFrame: {
        plainP50Ms: p50(plain.joinToFirstFrameMs),
        encryptedP50Ms: p50(encrypted.joinToFirstFrameMs),
        ratioP50: ratio(p50(encrypted.joinToFirstFrameMs), p50(plain.joinToFirstFrameMs)),
        goalRatio: 1.5,
        plainSamplesMs: plain.joinToFirstFrameMs,
        encryptedSamplesMs: encrypted.joinToFirstFrameMs,
      },
      keyChange: {
        afterRemovalP50Ms: p50(encrypted.afterRemovalMs),
        afterRemovalMaxMs: Math.max(...encrypted.afterRemovalMs),
        afterJoinP50Ms: p50(encrypted.afterJoinMs),
        afterJoinMaxMs: Math.max(...encrypted.afterJoinMs),
        goalMs: 1000,
        afterRemovalSamplesMs: encrypted.afterRemovalMs,
        afterJoinSamplesMs: encrypted.afterJoinMs,
      },
    };
    return {
      settings: {
        windowMs: WINDOW_MS,
        joins: JOINS,
        keyChanges: KEY_CHANGES,
        teacherCamera: '640x360 simulcast, shows the 8 students',
        studentCameras: `${STUDENTS} × 320x180 in another browser, each shows the teacher`,
        mediaWorkers: 1,
      },
      results,
      summary:
        `browser CPU ${plain.browserCpuPercent}% → ${encrypted.browserCpuPercent}% encrypted ` +
        `(${results.browserCpu.ratio}x, goal ≤ 1.3x); join to first frame p50 ${results.joinToFirstFrame.plainP50Ms} → ` +
        `${results.joinToFirstFrame.encryptedP50Ms} ms (${results.joinToFirstFrame.ratioP50}x, goal ≤ 1.5x); ` +
        `key change to media back: removal p50 ${results.keyChange.afterRemovalP50Ms} ms, max ${results.keyChange.afterRemovalMaxMs} ms; ` +
        `join p50 ${results.keyChange.afterJoinP50Ms} ms, max ${results.keyChange.afterJoinMaxMs} ms (goal ≤ 1,000 ms)`,
    };
  },
};
