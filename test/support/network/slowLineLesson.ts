import { chromium, type Browser } from 'playwright-core';
import type { InboundStats } from '../../../client/src/media/mediaStats.js';
import { CHROMIUM_ARGS, eventually } from '../browser.js';
import { MediaParticipant } from '../mediaHarness.js';
import { NamespacedAula } from './NamespacedAula.js';
import { TestNetwork } from './TestNetwork.js';

/** What a student received of the teacher while watched, sampled every 250 ms. */
export interface LineWatch {
  /** Longest time without a new frame of the teacher's camera arriving, in ms. */
  longestFreezeMs: number;
  /** Longest time without a new packet of the teacher's voice, in ms. */
  longestSilenceMs: number;
  /** Frame heights in the order they were seen. */
  heights: number[];
  /** For each quarter of the watched time, whether frames arrived in it. */
  framesInQuarter: boolean[];
}

const SAMPLE_MS = 250;

/**
 * A student on a slow home line (issue 18): her browser sits in a network
 * namespace of its own behind a token bucket; Aula, the teacher (720p camera,
 * pinned) and four classmates with cameras in another. Shared by the test,
 * which asserts what must hold, and the benchmark, which prints how long the
 * picture froze.
 */
export class SlowLineLesson {
  private constructor(
    private readonly network: TestNetwork,
    private readonly aula: NamespacedAula,
    private readonly browsers: Browser[],
    private readonly participants: MediaParticipant[],
    readonly student: MediaParticipant,
    readonly teacherId: string,
  ) {}

  static available(): boolean {
    return TestNetwork.available();
  }

  /** Starts Aula and the lesson, and waits for the student to receive the teacher's 480p layer. */
  static async start(options: { mongoUri: string; chromiumPath: string }): Promise<SlowLineLesson> {
    const network = TestNetwork.create();
    const aula = await NamespacedAula.start(network, { mongoUri: options.mongoUri });
    const serverSide = await chromium.launch({
      executablePath: network.wrapper(network.server, options.chromiumPath),
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const clientSide = await chromium.launch({
      executablePath: network.wrapper(network.client, options.chromiumPath),
      headless: true,
      // Aula is at the server's address here, not on localhost: still a page allowed to do WebRTC.
      args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${aula.clientUrl}`],
    });
    const pageOf = (browser: Browser) => ({ newPage: async () => (await browser.newContext()).newPage() });
    const { _id: classroomId } = await aula.createClassroom({ lobbyEnabled: false });
    const teacher = await MediaParticipant.open(pageOf(serverSide), aula.url);
    const waiting = await teacher.join(
      aula.url,
      await aula.tokenFor(classroomId, { id: 't', role: 'teacher' }),
    );
    if (!(await teacher.request('lesson:start')).ok) throw new Error('the lesson did not start');
    await eventually(
      async () => ((await teacher.events()).some((e) => e.name === 'lesson:started') ? true : undefined),
      'the lesson to start',
    );
    // Four classmates with cameras: the spotlight's 480p layer, four tiles and the voices need
    // more than 600 kbit/s (Chromium's fake camera is easy to encode), so something has to give.
    const classmates: MediaParticipant[] = [];
    for (const id of ['b', 'c', 'd', 'e']) {
      const classmate = await MediaParticipant.open(pageOf(serverSide), aula.url);
      await classmate.join(aula.url, await aula.tokenFor(classroomId, { id, role: 'student' }));
      classmates.push(classmate);
    }
    const student = await MediaParticipant.open(pageOf(clientSide), aula.clientUrl);
    await student.join(aula.clientUrl, await aula.tokenFor(classroomId, { id: 'a', role: 'student' }));
    await teacher.camera(1280, 720);
    await teacher.mic();
    for (const classmate of classmates) await classmate.camera(640, 360);
    const teacherId = waiting.self.id;
    if (!(await teacher.request('mod:pin', { participantId: teacherId })).ok) throw new Error('no pin');
    const lesson = new SlowLineLesson(
      network,
      aula,
      [clientSide, serverSide],
      [student, ...classmates, teacher],
      student,
      teacherId,
    );
    await eventually(
      async () => ((await lesson.teacherHeight()) === 480 ? true : undefined),
      "the teacher's 480p layer on a normal line",
      30_000,
    );
    return lesson;
  }

  limitDownlink(rate: string): void {
    this.network.limitDownlink(rate);
  }

  liftDownlinkLimit(): void {
    this.network.liftDownlinkLimit();
  }

  async teacherHeight(): Promise<number> {
    const stats = await this.student.inbound();
    return stats.find((s) => s.participantId === this.teacherId && s.kind === 'video')?.frameHeight ?? 0;
  }

  /** Samples what the student receives of the teacher, every 250 ms for a while. */
  async watch(ms: number): Promise<LineWatch> {
    const result: LineWatch = { longestFreezeMs: 0, longestSilenceMs: 0, heights: [], framesInQuarter: [] };
    const of = (stats: InboundStats[], kind: 'audio' | 'video') =>
      stats.find((s) => s.participantId === this.teacherId && s.kind === kind);
    let lastFrames = -1;
    let lastPackets = -1;
    const start = Date.now();
    let frameAt = start;
    let packetAt = start;
    const quarters = [false, false, false, false];
    while (Date.now() < start + ms) {
      const stats = await this.student.inbound();
      const now = Date.now();
      const video = of(stats, 'video');
      const audio = of(stats, 'audio');
      // Frames arriving, not decoded: the line is under test, not the CPU of a busy machine.
      if (video && video.framesReceived !== lastFrames) {
        if (lastFrames >= 0) quarters[Math.min(3, Math.floor(((now - start) / ms) * 4))] = true;
        lastFrames = video.framesReceived;
        frameAt = now;
        result.heights.push(video.frameHeight);
      }
      if (audio && audio.packetsReceived !== lastPackets) {
        lastPackets = audio.packetsReceived;
        packetAt = now;
      }
      result.longestFreezeMs = Math.max(result.longestFreezeMs, now - frameAt);
      result.longestSilenceMs = Math.max(result.longestSilenceMs, now - packetAt);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
    result.framesInQuarter = quarters;
    return result;
  }

  async close(): Promise<void> {
    for (const participant of this.participants) await participant.close().catch(() => undefined);
    for (const browser of this.browsers) await browser.close();
    await this.aula.stop();
    this.network.close();
  }
}
