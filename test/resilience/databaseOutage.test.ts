import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { startLocalDatabase, type LocalDatabaseServer } from '../../src/store/localDatabaseServer.js';
import { launchUsers, type ContextBrowser } from '../support/browser.js';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import {
  classroomPageAs,
  connectAs,
  createClassroom,
  joinedStudent,
  tokenFor,
} from '../support/classroomFixtures.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

// The database stops answering for twenty seconds (SIGSTOP, as a stuck disk or
// a failover would look) while a lesson runs in real browsers.

const OUTAGE_MS = 20_000;
const hasOwnDatabase = !process.env.MONGODB_URI && Boolean(process.env.AULA_FERRETDB_BIN);

describe.skipIf(!hasOwnDatabase)('a database outage during a lesson', () => {
  let dataDir: string;
  let database: LocalDatabaseServer;
  let aula: TestAula;
  let users: ContextBrowser;
  const clients: ClassroomClient[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-outage-db-'));
    // A database of this test's own: pausing the shared one would stop every other test.
    database = await startLocalDatabase({
      dataDir,
      ferretdbBin: process.env.AULA_FERRETDB_BIN,
      logger: createLogger({ level: 'silent' }),
    });
    aula = await startTestAula({ MONGODB_URI: `${database.uri}/aula_outage` });
    users = await launchUsers();
  });

  afterAll(async () => {
    if (database?.pid) process.kill(database.pid, 'SIGCONT');
    for (const client of clients) client.close();
    await users?.close();
    await aula?.close();
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function pageOf(classroomId: string, who: { id: string; role: 'teacher' | 'student' }) {
    return classroomPageAs(await users.newUser(), aula, classroomId, who);
  }

  it('keeps media, chat, hands and leaves going, answers newcomers "busy", and loses nothing', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacherPage = await pageOf(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacherPage.join({ camera: true });
    await teacherPage.page.getByTestId('start-lesson').click();
    await waitFor(() => teacherPage.isInLesson(), { what: 'the lesson', timeoutMs: 30_000 });
    const studentPage = await pageOf(classroom._id, { id: 'mia', role: 'student' });
    await studentPage.join({ camera: true });
    await teacherPage.receivesMedia({ videoStreams: 1, audio: false });
    await studentPage.receivesMedia({ videoStreams: 1, audio: false });
    // A second teacher tab and a student without a page watch what the protocol says.
    const observer = await connectAs(aula, classroom._id, { id: 'teacher', role: 'teacher' });
    clients.push(observer);
    await observer.request('join');
    const noah = await joinedStudent(aula, classroom._id, { id: 'noah' });
    clients.push(noah.client);
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const lessonId = room.lessonId!;

    process.kill(database.pid!, 'SIGSTOP');
    const pausedAt = Date.now();
    try {
      await waitFor(async () => (await fetch(`${aula.url}/readyz`)).status === 503, {
        what: 'readiness to say the database is away',
      });

      // In the lesson nothing stops: chat is answered and delivered at once, hands go up, leaving works.
      const delivered = observer.next('chat:message', (message) => message.text === 'during the outage');
      const sentAt = Date.now();
      const sent = await noah.client.request('chat:send', { text: 'during the outage' });
      expect(Date.now() - sentAt).toBeLessThan(1_000);
      expect((await delivered).id).toBe(sent.message.id);
      expect((await noah.client.request('hand:raise')).queue).toEqual([noah.id]);
      const left = observer.next('participantLeft', (event) => event.participantId === noah.id);
      await noah.client.request('leave');
      await left;

      // Newcomers hear within seconds that Aula is busy, with a time to try again.
      const newcomer = await connectAs(aula, classroom._id, { id: 'late', role: 'student' });
      clients.push(newcomer);
      const askedAt = Date.now();
      const refusal = await expectFailure(newcomer.request('join'));
      expect(refusal.code).toBe('DATABASE_UNAVAILABLE');
      expect(Date.now() - askedAt).toBeLessThan(3_000);
      const launchedAt = Date.now();
      const api = await fetch(`${aula.url}/api/classrooms/${classroom._id}`, {
        headers: {
          authorization: `Bearer ${await tokenFor(aula, classroom._id, { id: 'late', role: 'student' })}`,
        },
      });
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBeTruthy();
      expect(Date.now() - launchedAt).toBeLessThan(3_000);

      // Media keeps flowing on every page.
      await teacherPage.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 5_000 });
      await studentPage.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, pausedAt + OUTAGE_MS - Date.now())));
    } finally {
      process.kill(database.pid!, 'SIGCONT');
    }

    // After it: everything that happened is in the database, in order.
    await waitFor(async () => (await fetch(`${aula.url}/readyz`)).status === 200, {
      what: 'the database back',
    });
    await aula.services.writes.settled();
    const history = await aula.services.chat.history(lessonId, 'lms:test-platform:teacher');
    expect(history.map((message) => message.text)).toContain('during the outage');
    const intervals = await aula.services.attendance.intervals(lessonId);
    const noahs = intervals.filter((interval) => interval.userKey.endsWith(':noah'));
    expect(noahs).toHaveLength(1);
    expect(noahs[0]!.leftAt).toBeInstanceOf(Date);
    // Mia's seat only: Noah's was freed, and the newcomer told "busy" holds none once the database is back.
    expect(await aula.services.seats.occupied(lessonId)).toBe(1);
    // The page that was there all along is still in the lesson, receiving.
    expect(await teacherPage.isInLesson()).toBe(true);
    await studentPage.receivesMedia({ videoStreams: 1, audio: false, timeoutMs: 5_000 });
  });
});
