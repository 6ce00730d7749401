import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassroomService } from '../../src/classroom/ClassroomService.js';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { AulaProcess } from '../support/aulaProcess.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { ClassroomClient } from '../support/classroomClient.js';
import { ClassroomPage } from '../support/classroomPage.js';
import { testDatabaseUri } from '../support/testDatabase.js';
import { waitFor } from '../support/testAula.js';

// A lesson through a deployment (SIGTERM) and a crash (SIGKILL) of the Aula
// process, with the real classroom pages open in real browsers all along.

const uri = testDatabaseUri('restart');
let aula: AulaProcess;
let database: Database;
let users: ContextBrowser;

beforeAll(async () => {
  aula = await AulaProcess.create({ MONGODB_URI: uri });
  await aula.start();
  database = await Database.connect(uri, createLogger({ level: 'silent' }));
  users = await launchUsers();
});

afterAll(async () => {
  await users?.close();
  await aula?.dispose();
  await database?.connection.dropDatabase().catch(() => undefined);
  await database?.close();
});

async function session(classroomId: string, who: { id: string; role: 'teacher' | 'student' }) {
  const claims = {
    sub: lmsUserKey('p', who.id),
    cid: classroomId,
    role: who.role,
    name: who.id,
    lms: who.id,
  };
  const { token, expiresAt } = await aula.token(claims);
  return { token, expiresAt, classroomId, role: who.role, name: who.id };
}

async function openLesson() {
  const classrooms = new ClassroomService(database.models, aula.url);
  const classroom = await classrooms.create(
    { platformId: 'p', deploymentId: 'd', contextId: `c-${Date.now()}` },
    { title: 'Chemistry', seatCap: 10 },
    lmsUserKey('p', 'teacher'),
  );
  // The teacher's own page, with the camera on, starts the lesson.
  const teacher = await ClassroomPage.open(
    await users.newUser(),
    aula.url,
    await session(classroom._id, { id: 'teacher', role: 'teacher' }),
  );
  await teacher.join({ camera: true });
  await teacher.page.getByTestId('start-lesson').click();
  await waitFor(() => teacher.isInLesson(), { what: 'the teacher in the lesson', timeoutMs: 30_000 });

  // Two students wait in the waiting room and are admitted (by a second teacher tab's socket).
  const anna = await ClassroomPage.open(
    await users.newUser(),
    aula.url,
    await session(classroom._id, { id: 'anna', role: 'student' }),
  );
  const ben = await ClassroomPage.open(
    await users.newUser(),
    aula.url,
    await session(classroom._id, { id: 'ben', role: 'student' }),
  );
  await anna.join({ camera: true });
  await ben.join({ mic: true });
  const admitter = await ClassroomClient.connect(
    aula.url,
    (await session(classroom._id, { id: 'teacher', role: 'teacher' })).token,
  );
  await admitter.request('join');
  await waitFor(
    async () =>
      (await admitter.request('lobby:admitAll')).admitted === 0 &&
      (await anna.isInLesson()) &&
      (await ben.isInLesson()),
    { what: 'students admitted', timeoutMs: 30_000 },
  );
  await admitter.request('lobby:autoAdmit', { enabled: false });
  admitter.close();
  const pages = { teacher, anna, ben };
  await everyPageReceives(pages, 20_000);
  return { classroomId: classroom._id, pages };
}

type Pages = Record<'teacher' | 'anna' | 'ben', ClassroomPage>;

/** Teacher and Anna send video, Ben sound: each page receives the others'. */
async function everyPageReceives(pages: Pages, timeoutMs: number): Promise<void> {
  await Promise.all([
    pages.teacher.receivesMedia({ videoStreams: 1, audio: true, timeoutMs }),
    pages.anna.receivesMedia({ videoStreams: 1, audio: true, timeoutMs }),
    pages.ben.receivesMedia({ videoStreams: 2, audio: false, timeoutMs }),
  ]);
}

async function openIntervals(classroomId: string): Promise<Record<string, number>> {
  const open = await database.models.attendance.find({ classroomId, leftAt: { $exists: false } }).lean();
  const counts: Record<string, number> = {};
  for (const interval of open) counts[interval.userKey] = (counts[interval.userKey] ?? 0) + 1;
  return counts;
}

describe('a server restart during a lesson', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`brings every page back into the lesson with its media after ${signal}`, async () => {
      const { classroomId, pages } = await openLesson();
      const stoppedAt = Date.now();
      await aula.stop(signal);
      // Every page notices.
      for (const page of Object.values(pages)) {
        await waitFor(() => page.isReconnecting(), { what: 'the page to notice', timeoutMs: 5_000 });
      }
      expect(Date.now() - stoppedAt).toBeLessThan(6_000);

      await aula.start();
      const readyAt = Date.now();
      // Straight back into the lesson, never the waiting room; media flowing within ten seconds.
      for (const page of Object.values(pages)) {
        await waitFor(async () => (await page.isInLesson()) && !(await page.isReconnecting()), {
          what: 'the page back in the lesson',
          timeoutMs: 10_000,
        });
        expect(await page.inLobby()).toBe(false);
      }
      await everyPageReceives(pages, Math.max(1_000, readyAt + 10_000 - Date.now()));

      // One open attendance interval per person; the ones before the restart closed.
      await waitFor(async () => Object.keys(await openIntervals(classroomId)).length === 3, {
        what: 'attendance reopened',
      });
      expect(Object.values(await openIntervals(classroomId))).toEqual([1, 1, 1]);
      const closed = await database.models.attendance.find({ classroomId, leftAt: { $exists: true } }).lean();
      expect(closed.length).toBe(3);
      for (const interval of closed) expect(interval.leftAt!.getTime()).toBeLessThan(readyAt);
      for (const page of Object.values(pages)) await page.page.close();
    });
  }
});
