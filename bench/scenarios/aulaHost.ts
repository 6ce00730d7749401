// Aula alone in a Node process, for the memory and whiteboard benchmarks: the
// clients and the benchmark's own modules live elsewhere, so this process's
// RSS and CPU are Aula's.
import { createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { startTestAula } from '../../test/support/testAula.js';
import { serveParent } from '../BenchChild.js';
import { startCpuProfile } from '../cpuProfile.js';

export type AulaHostCommand =
  { type: 'classroom'; students: number } | { type: 'usage' } | { type: 'cpu' } | { type: 'stop' };

export type AulaHostReply =
  | { type: 'ready'; url: string }
  | { type: 'classroom'; classroomId: string; teacher: string; students: string[] }
  /** This process's CPU time so far (process.cpuUsage()), in microseconds. */
  | { type: 'cpu'; micros: number }
  | { type: 'usage'; rssBytes: number; heapUsedBytes: number; workerRssBytes: number }
  | { type: 'error'; message: string };

const aula = await startTestAula({ MONGODB_URI: process.env.AULA_BENCH_MONGODB_URI! });
let classrooms = 0;
/** With AULA_BENCH_CPU_PROFILE=<file>: a CPU profile from the first `cpu` command to the second. */
const profileTo = process.env.AULA_BENCH_CPU_PROFILE;
let profiler: Awaited<ReturnType<typeof startCpuProfile>> | undefined;

async function profile(): Promise<void> {
  if (!profileTo) return;
  if (!profiler) {
    profiler = await startCpuProfile(profileTo);
    return;
  }
  await profiler.stop();
}

async function handle(command: AulaHostCommand): Promise<void> {
  if (command.type === 'classroom') {
    classrooms += 1;
    const classroom = await createClassroom(aula, { seatCap: 50, lobbyEnabled: false });
    const students: string[] = [];
    for (let i = 0; i < command.students; i += 1) {
      students.push(await tokenFor(aula, classroom._id, { id: `c${classrooms}s${i}`, role: 'student' }));
    }
    const teacher = await tokenFor(aula, classroom._id, { id: `c${classrooms}t`, role: 'teacher' });
    reply({ type: 'classroom', classroomId: classroom._id, teacher, students });
  } else if (command.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    await profile();
    reply({ type: 'cpu', micros: user + system });
  } else if (command.type === 'usage') {
    // Started with --expose-gc: what is measured is what stays, not garbage not yet collected.
    (globalThis as { gc?: () => void }).gc?.();
    const workers = await aula.workerPool.usage();
    reply({
      type: 'usage',
      rssBytes: process.memoryUsage().rss,
      heapUsedBytes: process.memoryUsage().heapUsed,
      workerRssBytes: workers.reduce((sum, worker) => sum + worker.rssBytes, 0),
    });
  } else {
    await aula.stop();
    process.exit(0);
  }
}

const reply = serveParent<AulaHostCommand, AulaHostReply>(handle, { type: 'ready', url: aula.url });
