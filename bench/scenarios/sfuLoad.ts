import fs from 'node:fs';
import os from 'node:os';
import { createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../../test/support/testAula.js';
import { BenchChild } from '../BenchChild.js';
import { benchDatabase, round } from '../environment.js';
import type { GeneratorCommand, GeneratorReply, ParticipantSnapshot } from '../load/generator.js';
import type { ParticipantPlan } from '../load/LoadParticipant.js';
import type { Benchmark } from '../run.js';

const SEATS = 50;
const MAX_CLASSES = Number(process.env.SFU_MAX_CLASSES ?? 8);
const WARMUP_MS = 8_000;
const WINDOW_MS = Number(process.env.SFU_WINDOW_MS ?? 15_000);
const WORKER_CPU_LIMIT = 70;
const LOSS_LIMIT = 1;
/** Below this share of its nominal packet rate the generator, not Aula, is what is measured. */
const MIN_GENERATOR_PACE = 0.95;

/** The classroom page's camera layers (client/src/media/encodings.ts), all L1T3 at 24 fps. */
const CAMERA = [
  { width: 427, height: 240, bitrate: 100_000 },
  { width: 854, height: 480, bitrate: 380_000 },
  { width: 1280, height: 720, bitrate: 900_000 },
];

interface Profile {
  name: string;
  description: string;
  /** Students who send a camera. */
  cameras: number;
  studentCamera: typeof CAMERA;
  /** Students who speak; then students with an open microphone in silence (Opus DTX); the rest are muted. */
  speakers: number;
  silentMics: number;
}

const PROFILES: Profile[] = [
  {
    name: 'classroom',
    description:
      'teacher 720p simulcast + speech, 49 students with audio (3 speaking), 8 cameras at 427x240, everyone receiving',
    cameras: 8,
    studentCamera: [{ width: 427, height: 240, bitrate: 200_000 }],
    speakers: 3,
    silentMics: 0,
  },
  {
    name: 'all cameras on',
    description:
      'teacher and all 49 students with 720p simulcast cameras (dynacast: only consumed layers are sent), teacher and one student speaking, two open microphones in silence; pages of 16 tiles + spotlight',
    cameras: SEATS - 1,
    studentCamera: CAMERA,
    speakers: 1,
    silentMics: 2,
  },
];

type Snapshot = Extract<GeneratorReply, { type: 'snapshot' }>;

async function classPlans(aula: TestAula, classIndex: number, profile: Profile) {
  const classroom = await createClassroom(aula, { seatCap: SEATS, lobbyEnabled: false });
  const teacher: ParticipantPlan = {
    token: await tokenFor(aula, classroom._id, { id: `t${classIndex}`, role: 'teacher' }),
    mic: 'speaking',
    camera: CAMERA,
  };
  const students: ParticipantPlan[] = [];
  for (let i = 0; i < SEATS - 1; i += 1) {
    students.push({
      token: await tokenFor(aula, classroom._id, { id: `c${classIndex}s${i}`, role: 'student' }),
      mic: i < profile.speakers ? 'speaking' : i < profile.speakers + profile.silentMics ? 'silent' : 'muted',
      camera: i < profile.cameras ? profile.studentCamera : [],
    });
  }
  return { teacher, students };
}

interface AulaSample {
  atMs: number;
  /** Kernel-wide: datagrams dropped because a socket's receive buffer was full. */
  udpReceiveBufferErrors: number;
  nodeCpuMs: number;
  workerCpuMs: number[];
}

async function sampleAula(aula: TestAula): Promise<AulaSample> {
  const cpu = process.cpuUsage();
  const workers = await aula.workerPool.usage();
  return {
    atMs: performance.now(),
    udpReceiveBufferErrors: udpCounter('RcvbufErrors'),
    nodeCpuMs: (cpu.user + cpu.system) / 1000,
    workerCpuMs: workers.map((worker) => worker.cpuSeconds * 1000),
  };
}

/** A counter of the kernel's UDP statistics (Linux /proc/net/snmp), 0 where unavailable. */
function udpCounter(name: string): number {
  try {
    const lines = fs
      .readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = lines[0]!.split(/\s+/);
    return Number(lines[1]!.split(/\s+/)[names.indexOf(name)] ?? 0);
  } catch {
    return 0;
  }
}

function kernelSetting(file: string): number | null {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
}

const percent = (cpuMs: number, wallMs: number) => round((cpuMs / wallMs) * 100);

function stepResult(
  classes: number,
  before: { aula: AulaSample; generator: Snapshot },
  after: { aula: AulaSample; generator: Snapshot },
) {
  const wallMs = after.aula.atMs - before.aula.atMs;
  // Participants are only ever added, so both snapshots list them in the same order.
  const deltas = after.generator.participants.map((p, i) => {
    const from: Omit<ParticipantSnapshot, 'classIndex' | 'role'> = before.generator.participants[i] ?? {
      sent: 0,
      sentBytes: 0,
      totals: { packets: 0, bytes: 0, expected: 0 },
    };
    return {
      role: p.role,
      sent: p.sent - from.sent,
      sentBytes: p.sentBytes - from.sentBytes,
      packets: p.totals.packets - from.totals.packets,
      bytes: p.totals.bytes - from.totals.bytes,
      expected: p.totals.expected - from.totals.expected,
    };
  });
  const packets = deltas.reduce((sum, d) => sum + d.packets, 0);
  const expected = deltas.reduce((sum, d) => sum + d.expected, 0);
  const kbps = (bytes: number) => (bytes * 8) / wallMs;
  const students = deltas.filter((d) => d.role === 'student').map((d) => kbps(d.bytes));
  const teachers = deltas.filter((d) => d.role === 'teacher').map((d) => kbps(d.bytes));
  const studentsUp = deltas.filter((d) => d.role === 'student').map((d) => kbps(d.sentBytes));
  const teachersUp = deltas.filter((d) => d.role === 'teacher').map((d) => kbps(d.sentBytes));
  const meanMax = (values: number[]) => ({
    mean: Math.round(values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length)),
    max: Math.round(Math.max(0, ...values)),
  });
  const workerCpu = after.aula.workerCpuMs.map((ms, i) =>
    percent(ms - (before.aula.workerCpuMs[i] ?? 0), wallMs),
  );
  const lossPercent = expected > 0 ? round((Math.max(0, expected - packets) / expected) * 100) : 0;
  return {
    classes,
    participants: classes * SEATS,
    windowMs: Math.round(wallMs),
    aulaWorkerCpuPercent: workerCpu,
    aulaNodeCpuPercent: percent(after.aula.nodeCpuMs - before.aula.nodeCpuMs, wallMs),
    generatorCpuPercent: {
      process: percent(after.generator.processCpuMs - before.generator.processCpuMs, wallMs),
      worker: percent(after.generator.workerCpuMs - before.generator.workerCpuMs, wallMs),
    },
    forwardedPacketsPerSecond: Math.round((packets / wallMs) * 1000),
    generatorSentPacketsPerSecond: Math.round((deltas.reduce((sum, d) => sum + d.sent, 0) / wallMs) * 1000),
    udpReceiveBufferDrops: after.aula.udpReceiveBufferErrors - before.aula.udpReceiveBufferErrors,
    packetLossPercent: lossPercent,
    /** Downlink per participant: what Aula forwarded to each. */
    studentReceiveKbps: meanMax(students),
    teacherReceiveKbps: meanMax(teachers).mean,
    /** Uplink per participant: what each sent Aula (RTP, after dynacast paused unconsumed layers). */
    studentSendKbps: meanMax(studentsUp),
    teacherSendKbps: meanMax(teachersUp).mean,
    sustained: workerCpu.every((cpu) => cpu < WORKER_CPU_LIMIT) && lossPercent < LOSS_LIMIT,
  };
}

/**
 * Adds one 50-seat class after another, each measured over a steady window,
 * until a worker passes 70 % CPU, loss reaches 1 % or MAX_CLASSES run.
 */
export const sfuLoad: Benchmark = {
  name: 'sfu-load',
  description: `50-seat classes added one at a time, per profile: ${PROFILES.map((p) => `${p.name} (${p.description})`).join('; ')}`,
  async run() {
    const wanted = (process.env.SFU_PROFILES ?? PROFILES.map((p) => p.name).join(','))
      .split(',')
      .map((name) => name.trim());
    const profiles: Array<Awaited<ReturnType<typeof scan>>> = [];
    for (const profile of PROFILES.filter((p) => wanted.includes(p.name))) {
      profiles.push(await scan(profile));
    }
    const line = (p: (typeof profiles)[number]) => {
      const one = p.steps[0];
      return one
        ? `${p.profile}: 1 class: worker ${one.aulaWorkerCpuPercent.join('/')} %, loss ${one.packetLossPercent} %, student down ${one.studentReceiveKbps.mean}/${one.studentReceiveKbps.max} kbit/s mean/max, up ${one.studentSendKbps.mean}/${one.studentSendKbps.max}; sustains ${p.maxClasses} classes`
        : `${p.profile}: no step completed`;
    };
    return {
      settings: {
        seats: SEATS,
        profiles: PROFILES.filter((p) => wanted.includes(p.name)),
        teacherCamera: CAMERA,
        tilesPerPage: 16,
        mediaWorkers: os.availableParallelism(),
        udpReceiveBufferBytes: kernelSetting('/proc/sys/net/core/rmem_default'),
        warmupMs: WARMUP_MS,
        windowMs: WINDOW_MS,
        limits: {
          workerCpuPercent: WORKER_CPU_LIMIT,
          lossPercent: LOSS_LIMIT,
          generatorPace: MIN_GENERATOR_PACE,
        },
        generator:
          'child process with its own mediasoup worker (DTLS, SRTP) replaying pre-made VP8/Opus packets through UDP relays; it pauses the layers Aula says nobody consumes, as the page does',
      },
      results: { profiles },
      summary: profiles.map(line).join(' | '),
    };
  },
};

/**
 * Adds one 50-seat class of a profile after another, each measured over a
 * steady window, until a worker passes 70 % CPU, loss reaches 1 % or
 * MAX_CLASSES run.
 */
async function scan(profile: Profile) {
  const db = await benchDatabase();
  const workers = os.availableParallelism();
  const aula = await startTestAula({
    MONGODB_URI: db.uri(`aula_bench_sfu_${Date.now()}`),
    AULA_MEDIA_WORKERS: String(workers),
  });
  const { child: generator } = await BenchChild.start<GeneratorCommand, GeneratorReply>('load/generator.ts', {
    label: 'load generator',
  });
  const steps: Array<ReturnType<typeof stepResult> & { generatorPace: number; setupMs: number }> = [];
  let setupFailure: { classes: number; error: string } | undefined;
  let perClassSent: number | undefined;
  try {
    for (let classes = 1; classes <= MAX_CLASSES; classes += 1) {
      let ready: { setupMs: number };
      try {
        ready = await generator.await('classReady', {
          type: 'class',
          url: aula.url,
          classIndex: classes,
          ...(await classPlans(aula, classes, profile)),
        });
      } catch (error) {
        // A class that cannot even be set up (a DTLS handshake starved of CPU, say) ends the scan.
        setupFailure = {
          classes,
          error: error instanceof Error ? error.message.split('\n')[0]! : String(error),
        };
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
      const before = {
        aula: await sampleAula(aula),
        generator: await generator.await('snapshot', { type: 'snapshot' }),
      };
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const after = {
        aula: await sampleAula(aula),
        generator: await generator.await('snapshot', { type: 'snapshot' }),
      };
      const measured = stepResult(classes, before, after);
      // The first class sets what one class offers; later steps must offer that many times it.
      perClassSent ??= measured.generatorSentPacketsPerSecond;
      const generatorPace = round(measured.generatorSentPacketsPerSecond / (classes * perClassSent), 2);
      const step = { ...measured, generatorPace, setupMs: ready.setupMs };
      steps.push(step);
      console.log(`sfu-load (${profile.name}): ${JSON.stringify(step)}`);
      if (!step.sustained || generatorPace < MIN_GENERATOR_PACE) break;
    }
  } finally {
    await generator.stop({ type: 'stop' });
    await aula.stop();
    await db.stop();
  }
  const sustained = steps
    .filter((step) => step.sustained && step.generatorPace >= MIN_GENERATOR_PACE)
    .map((step) => step.classes);
  const maxClasses = sustained.length ? Math.max(...sustained) : 0;
  const last = steps[steps.length - 1];
  const limitedBy = setupFailure
    ? `class ${setupFailure.classes} could not be set up: ${setupFailure.error}`
    : last && !last.sustained
      ? `class ${last.classes}: worker CPU ${last.aulaWorkerCpuPercent.join('/')} %, loss ${last.packetLossPercent} %`
      : last && last.generatorPace < MIN_GENERATOR_PACE
        ? `class ${last.classes}: the generator sent only ${Math.round(last.generatorPace * 100)} % of its packets on the shared cores`
        : `the benchmark's ceiling of ${MAX_CLASSES} classes`;
  return { profile: profile.name, steps, maxClasses, limitedBy, setupFailure: setupFailure ?? null };
}
