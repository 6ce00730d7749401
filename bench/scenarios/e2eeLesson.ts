// One lesson of the `e2ee` benchmark, encrypted or not: a teacher page in the
// measured browser sends a camera and shows 8 students' cameras; the 8
// student pages (another browser, not measured) each send a small camera and
// show the teacher. Then students join one at a time; in the encrypted lesson
// members come and are removed, and every page's receivers are watched until
// they play the new key's frames.
import { createIdentity } from '../../client/src/e2ee/keyWrap.js';
import type { TestBrowser } from '../../test/support/browser.js';
import { connectAs, createClassroom, tokenFor } from '../../test/support/classroomFixtures.js';
import { MediaParticipant } from '../../test/support/mediaHarness.js';
import type { TestAula } from '../../test/support/testAula.js';
import { processTreeCpuMs } from '../environment.js';

export const STUDENTS = 8;

export interface LessonSettings {
  encrypted: boolean;
  windowMs: number;
  joins: number;
  keyChanges: number;
}

export interface LessonFigures {
  /** The measured browser's CPU over the window, % of one core. */
  browserCpuPercent: number;
  /** Frames the teacher page decoded per second, all 8 cameras together. */
  receivedFramesPerSecond: number;
  /** Frames the teacher page's cipher sealed and opened per second (encrypted lesson). */
  cipherFramesPerSecond?: { encrypted: number; decrypted: number; dropped: number };
  joinToFirstFrameMs: number[];
  /** Removal of a member → every receiver of every page plays the new key's frames. */
  afterRemovalMs: number[];
  /** A member joined (the key ratchets) → every receiver plays the ratcheted key's frames. */
  afterJoinMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function decodedFrames(page: MediaParticipant): Promise<{ streams: number; frames: number }> {
  const video = (await page.inbound()).filter((stats) => stats.kind === 'video' && stats.framesDecoded > 0);
  return { streams: video.length, frames: video.reduce((sum, stats) => sum + stats.framesDecoded, 0) };
}

/**
 * When every receiver of every page played frames of `epoch` or newer: the
 * latest of their times, or undefined while one has not yet.
 */
async function allPlayFrom(pages: MediaParticipant[], epoch: number): Promise<number | undefined> {
  let latest = 0;
  for (const page of pages) {
    const receivers = (await page.cipherStats())?.receivers ?? [];
    // A paused receiver (a camera not on screen) gets no frames: it plays nothing to wait for.
    for (const receiver of receivers.filter((each) => Date.now() - each.arrived < 1500)) {
      if (receiver.epoch < epoch) return undefined;
      latest = Math.max(latest, receiver.since);
    }
  }
  return latest;
}

async function sendEpoch(page: MediaParticipant): Promise<number> {
  return (await page.cipherStats())?.epoch ?? 0;
}

export async function runLesson(
  aula: TestAula,
  browsers: { measured: TestBrowser; measuredPid: number; others: TestBrowser },
  settings: LessonSettings,
): Promise<LessonFigures> {
  const { encrypted } = settings;
  const classroom = await createClassroom(aula, {
    seatCap: 20,
    lobbyEnabled: false,
    endToEndEncryption: encrypted,
  });
  const token = (id: string, role: 'teacher' | 'student') => tokenFor(aula, classroom._id, { id, role });
  const tag = encrypted ? 'e' : 'p';
  const pages: MediaParticipant[] = [];
  try {
    const teacher = await MediaParticipant.open(browsers.measured, aula.url, { encrypted });
    pages.push(teacher);
    const teacherId = (await teacher.join(aula.url, await token(`${tag}-teacher`, 'teacher'))).self.id;
    await teacher.request('lesson:start');
    await sleep(500);
    await teacher.camera(640, 360);
    const studentIds: string[] = [];
    for (let i = 0; i < STUDENTS; i += 1) {
      const student = await MediaParticipant.open(browsers.others, aula.url, { encrypted });
      pages.push(student);
      const joined = await student.join(aula.url, await token(`${tag}-student-${i}`, 'student'));
      studentIds.push(joined.self.id);
      await student.camera(320, 180);
    }
    await teacher.setVisibleTiles(studentIds, null);
    for (const student of pages.slice(1)) await student.setVisibleTiles([teacherId], teacherId);
    await until(
      async () => ((await decodedFrames(teacher)).streams >= STUDENTS ? true : undefined),
      `the teacher decoding ${STUDENTS} cameras`,
    );
    await sleep(3000);

    // The window: the measured browser sends one camera and receives eight.
    const framesBefore = (await decodedFrames(teacher)).frames;
    const cipherBefore = await teacher.cipherStats();
    const cpuBefore = processTreeCpuMs(browsers.measuredPid);
    const began = Date.now();
    await sleep(settings.windowMs);
    const cpuAfter = processTreeCpuMs(browsers.measuredPid);
    const seconds = (Date.now() - began) / 1000;
    const framesAfter = (await decodedFrames(teacher)).frames;
    const cipherAfter = await teacher.cipherStats();
    const perSecond = (after: number, before: number) => Math.round((after - before) / seconds);
    const figures: LessonFigures = {
      browserCpuPercent: Math.round(((cpuAfter - cpuBefore) / (seconds * 1000)) * 1000) / 10,
      receivedFramesPerSecond: perSecond(framesAfter, framesBefore),
      joinToFirstFrameMs: [],
      afterRemovalMs: [],
      afterJoinMs: [],
    };
    if (cipherBefore && cipherAfter)
      figures.cipherFramesPerSecond = {
        encrypted: perSecond(cipherAfter.encrypted, cipherBefore.encrypted),
        decrypted: perSecond(cipherAfter.decrypted, cipherBefore.decrypted),
        dropped: perSecond(cipherAfter.dropped, cipherBefore.dropped),
      };

    // Joins, one at a time, in the measured browser: to the first decoded frame of a camera.
    for (let i = 0; i < settings.joins; i += 1) {
      const newcomer = await MediaParticipant.open(browsers.measured, aula.url, { encrypted });
      const joinToken = await token(`${tag}-joiner-${i}`, 'student');
      figures.joinToFirstFrameMs.push(Math.round(await newcomer.timeToFirstFrame(aula.url, joinToken)));
      await newcomer.close();
      await sleep(1000);
    }

    // Key changes: a member comes (everyone ratchets) and is removed (the teacher's page makes a new key).
    for (let i = 0; encrypted && i < settings.keyChanges; i += 1) {
      const before = await sendEpoch(teacher);
      await until(async () => allPlayFrom(pages, before), 'every receiver on the current key', 10_000);
      const member = await connectAs(aula, classroom._id, { id: `${tag}-member-${i}`, role: 'student' });
      const joined = await member.request('join');
      const identity = await createIdentity();
      const joinedAt = Date.now();
      await member.request('e2ee:announce', { publicKey: identity.publicKey });
      await member.next('e2ee:key');
      const ratcheted = await until(async () => {
        const epoch = await sendEpoch(teacher);
        return epoch > before ? epoch : undefined;
      }, 'the ratchet');
      const played = await until(async () => allPlayFrom(pages, ratcheted), 'the ratcheted key', 10_000);
      figures.afterJoinMs.push(played - joinedAt);
      const removedAt = Date.now();
      await teacher.request('mod:remove', { participantId: joined.self.id });
      const fresh = await until(async () => {
        const epoch = await sendEpoch(teacher);
        return epoch > ratcheted ? epoch : undefined;
      }, 'the new key');
      const back = await until(async () => allPlayFrom(pages, fresh), 'the new key played', 10_000);
      figures.afterRemovalMs.push(back - removedAt);
      member.close();
      await sleep(1000);
    }
    return figures;
  } finally {
    for (const page of pages) await page.close();
  }
}
