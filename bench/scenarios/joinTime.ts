import { launchBrowser } from '../../test/support/browser.js';
import { createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { MediaParticipant } from '../../test/support/mediaHarness.js';
import { startTestAula } from '../../test/support/testAula.js';
import { startBareFloor } from '../baselines/bareMediasoupFloor.js';
import { benchDatabase, percentile, ratio } from '../environment.js';
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
    const floorTimes: number[] = [];
    const steps: Array<Record<string, number>> = [];
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
        steps.push(await student.joinSteps());
        // One at a time: each join is measured alone, then the student leaves.
        await student.close();
      }
      await teacher.close();
      await aula.stop();
      // The floor in the same browser, after Aula has stopped: same camera, same encodings.
      const floor = await startBareFloor(browser);
      try {
        await floor.publishCamera(640, 360);
        await new Promise((resolve) => setTimeout(resolve, 500));
        for (let i = 0; i < JOINS; i += 1) floorTimes.push(await floor.timeToFirstFrame());
      } finally {
        await floor.close();
      }
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
      // Median time from the join request at which each step had ended.
      stepsP50Ms: Object.fromEntries(
        ['socketConnected', 'joined', 'mediaReady', 'consumerCreated', 'firstFrame'].map((name) => [
          name,
          percentile(
            steps.flatMap((s) => (s[name] === undefined ? [] : [s[name]])),
            50,
          ),
        ]),
      ),
      floor: {
        what: 'bare mediasoup router and mediasoup-client, signalling by direct calls',
        p50Ms: percentile(floorTimes, 50),
        p95Ms: percentile(floorTimes, 95),
        samplesMs: floorTimes.map((t) => Math.round(t)),
      },
      ratioToFloor: {
        p50: ratio(percentile(times, 50), percentile(floorTimes, 50)),
        p95: ratio(percentile(times, 95), percentile(floorTimes, 95)),
      },
    };
    return {
      settings: { joins: JOINS, camera: '640x360 simulcast', mediaWorkers: 1 },
      results,
      summary: `p50 ${results.p50Ms} ms, p95 ${results.p95Ms} ms over ${JOINS} joins; ${results.ratioToFloor.p50}x / ${results.ratioToFloor.p95}x the bare-mediasoup floor (p50 ${results.floor.p50Ms} ms)`,
    };
  },
};
