// The SFU load generator: a child process (so its CPU is measured apart from
// Aula's) with its own mediasoup worker, driven over IPC by bench/scenarios/sfuLoad.ts.
import * as mediasoup from 'mediasoup';
import { mediaCodecs } from '../../src/media/mediaCodecs.js';
import { serveParent } from '../BenchChild.js';
import type { ReceiveTotals } from './ReceiveCounter.js';
import { LoadParticipant, type ParticipantPlan } from './LoadParticipant.js';

export type GeneratorCommand =
  | { type: 'class'; url: string; classIndex: number; teacher: ParticipantPlan; students: ParticipantPlan[] }
  | { type: 'snapshot' }
  | { type: 'stop' };

export interface ParticipantSnapshot {
  classIndex: number;
  role: 'teacher' | 'student';
  totals: ReceiveTotals;
  sent: number;
  sentBytes: number;
}

export type GeneratorReply =
  | { type: 'ready'; workerPid: number }
  | { type: 'classReady'; classIndex: number; setupMs: number }
  | {
      type: 'snapshot';
      atMs: number;
      processCpuMs: number;
      workerCpuMs: number;
      participants: ParticipantSnapshot[];
    }
  | { type: 'error'; message: string };

/** The largest page of tiles the classroom page shows (besides the spotlight). */
const TILES_PER_PAGE = 16;

const worker = await mediasoup.createWorker({ logLevel: 'error' });
const router = await worker.createRouter({ mediaCodecs });
const joined: Array<{ classIndex: number; role: 'teacher' | 'student'; participant: LoadParticipant }> = [];

async function startClass(command: Extract<GeneratorCommand, { type: 'class' }>): Promise<void> {
  const started = performance.now();
  const teacher = await LoadParticipant.join(command.url, { ...command.teacher, startsLesson: true }, router);
  joined.push({ classIndex: command.classIndex, role: 'teacher', participant: teacher });
  const students: Array<{ plan: ParticipantPlan; participant: LoadParticipant }> = [];
  for (const plan of command.students) {
    const participant = await LoadParticipant.join(command.url, plan, router);
    students.push({ plan, participant });
    joined.push({ classIndex: command.classIndex, role: 'student', participant });
  }
  // What each screen shows: the teacher large, a page of up to 16 students with cameras as tiles.
  const cameras = students.filter((s) => s.plan.camera.length).map((s) => s.participant.participantId);
  await teacher.showTiles(cameras.slice(0, TILES_PER_PAGE), null);
  for (const { participant } of students) {
    const others = cameras.filter((id) => id !== participant.participantId).slice(0, TILES_PER_PAGE);
    await participant.showTiles([teacher.participantId, ...others], teacher.participantId);
  }
  reply({
    type: 'classReady',
    classIndex: command.classIndex,
    setupMs: Math.round(performance.now() - started),
  });
}

async function snapshot(): Promise<void> {
  const cpu = process.cpuUsage();
  const usage = await worker.getResourceUsage();
  reply({
    type: 'snapshot',
    atMs: performance.now(),
    processCpuMs: (cpu.user + cpu.system) / 1000,
    workerCpuMs: usage.ru_utime + usage.ru_stime,
    participants: joined.map(({ classIndex, role, participant }) => ({
      classIndex,
      role,
      totals: participant.received.totals(),
      sent: participant.sent,
      sentBytes: participant.sentBytes,
    })),
  });
}

function stop(): void {
  for (const { participant } of joined) participant.close();
  worker.close();
  process.exit(0);
}

process.on('disconnect', stop);
const reply = serveParent<GeneratorCommand, GeneratorReply>(
  (command) =>
    command.type === 'class' ? startClass(command) : command.type === 'snapshot' ? snapshot() : stop(),
  { type: 'ready', workerPid: worker.pid },
);
