import { ClassroomClient } from '../../test/support/classroomClient.js';
import { BenchChild } from '../BenchChild.js';
import { benchDatabase } from '../environment.js';
import type { Benchmark } from '../run.js';
import type { AulaHostCommand, AulaHostReply } from './aulaHost.js';

const STEPS = [0, 50, 100];
const SEATS = 50;

const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * Connected participants hold a socket, a seat, attendance and two WebRTC
 * transports each (no media flows): the fixed cost of a person in a lesson.
 * 100 participants are two classrooms of 50 (a teacher and 49 students each).
 * Aula runs in a process of its own; the clients run in this one.
 */
export const memory: Benchmark = {
  name: 'memory',
  description: 'Aula process RSS and worker RSS with 0, 50 and 100 connected participants',
  async run() {
    const db = await benchDatabase();
    const { child: aula, ready } = await BenchChild.start<AulaHostCommand, AulaHostReply>(
      'scenarios/aulaHost.ts',
      {
        label: 'Aula',
        env: { AULA_BENCH_MONGODB_URI: db.uri(`aula_bench_memory_${Date.now()}`) },
        nodeOptions: ['--expose-gc'],
      },
    );
    const clients: ClassroomClient[] = [];
    const samples: Array<{
      participants: number;
      aulaRssMiB: number;
      workerRssMiB: number;
      heapUsedMiB: number;
    }> = [];
    const join = async (token: string, teacher: boolean) => {
      const client = await ClassroomClient.connect(ready.url, token);
      clients.push(client);
      await client.request('join');
      if (teacher) {
        const started = client.next('lesson:started');
        await client.request('lesson:start');
        await started;
      }
      await client.request('createTransport', { direction: 'send' });
      await client.request('createTransport', { direction: 'recv' });
    };
    try {
      const classrooms = [
        await aula.await('classroom', { type: 'classroom', students: SEATS - 1 }),
        await aula.await('classroom', { type: 'classroom', students: SEATS - 1 }),
      ];
      let connected = 0;
      for (const target of STEPS) {
        while (connected < target) {
          const classroom = classrooms[Math.floor(connected / SEATS)]!;
          const seat = connected % SEATS;
          await join(seat === 0 ? classroom.teacher : classroom.students[seat - 1]!, seat === 0);
          connected += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const usage = await aula.await('usage', { type: 'usage' });
        samples.push({
          participants: target,
          aulaRssMiB: MiB(usage.rssBytes),
          workerRssMiB: MiB(usage.workerRssBytes),
          heapUsedMiB: MiB(usage.heapUsedBytes),
        });
      }
    } finally {
      for (const client of clients) client.close();
      await aula.stop({ type: 'stop' });
      await db.stop();
    }
    const perParticipantKiB = Math.round(
      ((samples[samples.length - 1]!.aulaRssMiB - samples[0]!.aulaRssMiB) * 1024) / STEPS[STEPS.length - 1]!,
    );
    return {
      settings: {
        steps: STEPS,
        mediaWorkers: 1,
        aulaProcess: 'its own Node process (TypeScript through tsx), garbage-collected before each sample',
      },
      results: { samples, aulaRssPerParticipantKiB: perParticipantKiB },
      summary: `${samples
        .map((s) => `${s.participants}: Aula ${s.aulaRssMiB} MiB, worker ${s.workerRssMiB} MiB`)
        .join('; ')}; about ${perParticipantKiB} KiB of Aula RSS per participant`,
    };
  },
};
