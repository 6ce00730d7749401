import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassroomService } from '../../src/classroom/ClassroomService.js';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { createLogger } from '../../src/shared/logger.js';
import { Database } from '../../src/store/Database.js';
import { AulaProcess } from '../support/aulaProcess.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { closeScene, everyPageReceives, openScene } from '../support/lessonScene.js';
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

async function openLesson() {
  const classrooms = new ClassroomService(database.models, aula.url);
  const classroom = await classrooms.create(
    { platformId: 'p', deploymentId: 'd', contextId: `c-${Date.now()}` },
    { title: 'Chemistry', seatCap: 10 },
    lmsUserKey('p', 'teacher'),
  );
  const token = async (who: { id: string; role: 'teacher' | 'student' }) =>
    (
      await aula.token({
        sub: lmsUserKey('p', who.id),
        cid: classroom._id,
        role: who.role,
        name: who.id,
        lms: who.id,
      })
    ).token;
  // The waiting room is on: after the restart, admitted students must not land in it again.
  const pages = await openScene({ url: aula.url, classroomId: classroom._id, token }, users);
  return { classroomId: classroom._id, pages };
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
      await closeScene(pages);
    });
  }
});
