import { connectAs, createClassroom } from '../../test/support/classroomFixtures.js';
import type { ClassroomClient } from '../../test/support/classroomClient.js';
import { startTestAula } from '../../test/support/testAula.js';
import { benchDatabase } from '../environment.js';
import type { Benchmark } from '../run.js';

const STEPS = [0, 50, 100];

const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * Connected participants hold a socket, a seat, attendance and two WebRTC
 * transports each (no media flows): the fixed cost of a person in a lesson.
 * 100 participants are two classrooms of 50.
 */
export const memory: Benchmark = {
  name: 'memory',
  description: 'Aula process RSS and worker RSS with 0, 50 and 100 connected participants',
  async run() {
    const db = await benchDatabase();
    const aula = await startTestAula({ MONGODB_URI: db.uri(`aula_bench_memory_${Date.now()}`) });
    const clients: ClassroomClient[] = [];
    const samples: Array<{
      participants: number;
      aulaRssMiB: number;
      workerRssMiB: number;
      heapUsedMiB: number;
    }> = [];
    try {
      const classrooms = [
        await createClassroom(aula, { seatCap: 50, lobbyEnabled: false }),
        await createClassroom(aula, { seatCap: 50, lobbyEnabled: false }),
      ];
      for (const classroom of classrooms) {
        const teacher = await connectAs(aula, classroom._id, { id: `t-${classroom._id}`, role: 'teacher' });
        await teacher.request('join');
        await teacher.request('lesson:start');
        await teacher.next('lesson:started');
        clients.push(teacher);
      }
      let connected = 0;
      for (const target of STEPS) {
        while (connected < target) {
          const classroom = classrooms[Math.floor(connected / 50)]!;
          const student = await connectAs(aula, classroom._id, { id: `s${connected}`, role: 'student' });
          await student.request('join');
          await student.request('createTransport', { direction: 'send' });
          await student.request('createTransport', { direction: 'recv' });
          clients.push(student);
          connected += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        global.gc?.();
        samples.push({
          participants: target,
          aulaRssMiB: MiB(process.memoryUsage().rss),
          workerRssMiB: MiB(
            (await aula.workerPool.usage()).reduce((sum, worker) => sum + worker.rssBytes, 0),
          ),
          heapUsedMiB: MiB(process.memoryUsage().heapUsed),
        });
      }
    } finally {
      for (const client of clients) client.close();
      await aula.stop();
      await db.stop();
    }
    return {
      settings: { steps: STEPS, mediaWorkers: 1, note: 'the benchmark process hosts Aula and the clients' },
      results: { samples },
      summary: samples
        .map((s) => `${s.participants}: Aula ${s.aulaRssMiB} MiB, worker ${s.workerRssMiB} MiB`)
        .join('; '),
    };
  },
};
