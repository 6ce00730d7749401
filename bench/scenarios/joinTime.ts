import { launchBrowser } from '../../test/support/browser.js';
import { createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { MediaParticipant } from '../../test/support/mediaHarness.js';
import { startTestAula } from '../../test/support/testAula.js';
import { benchDatabase, percentile } from '../environment.js';
import type { Benchmark } from '../run.js';

const JOINS = 20;

/**
 * A teacher sends a fake 640x360 camera; each student page, in headless
 * Chromium with fake devices, joins and waits for the teacher's first decoded
 * frame. Measured in the page from the join request: socket, token check,
 * seat, attendance, router capabilities, transports, consumer, first keyframe.
 */
export const joinTime: Benchmark = {
  name: 'join-time',
  description: `join request to first decoded remote video frame, ${JOINS} joins`,
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({ MONGODB_URI: db.uri(`aula_bench_join_${Date.now()}`) });
    const browser = await launchBrowser();
    const times: number[] = [];
    try {
      const classroom = await createClassroom(aula, { seatCap: 50, lobbyEnabled: false });
      const teacher = await MediaParticipant.open(browser, aula.url);
      await teacher.join(aula.url, await tokenFor(aula, classroom._id, { id: 't', role: 'teacher' }));
      await teacher.request('lesson:start');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await teacher.camera(640, 360);
      for (let i = 0; i < JOINS; i += 1) {
        const student = await MediaParticipant.open(browser, aula.url);
        const token = await tokenFor(aula, classroom._id, { id: `s${i}`, role: 'student' });
        times.push(await student.timeToFirstFrame(aula.url, token));
        // One at a time: each join is measured alone, then the student leaves.
        await student.close();
      }
      await teacher.close();
    } finally {
      await browser.close();
      await aula.stop();
      await db.stop();
    }
    const results = {
      joins: times.length,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      minMs: Math.round(Math.min(...times)),
      maxMs: Math.round(Math.max(...times)),
      samplesMs: times.map((t) => Math.round(t)),
      floor: 'not measured yet: see bench/README.md',
    };
    return {
      settings: { joins: JOINS, camera: '640x360 simulcast', mediaWorkers: 1 },
      results,
      summary: `p50 ${results.p50Ms} ms, p95 ${results.p95Ms} ms over ${JOINS} joins`,
    };
  },
};
