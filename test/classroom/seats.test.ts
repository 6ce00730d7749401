import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SeatLedger } from '../../src/classroom/SeatLedger.js';
import { createModels } from '../../src/store/models/index.js';
import { expectFailure, type ClassroomClient } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { dropDatabase, testDatabaseUri } from '../support/testDatabase.js';
import { startTestAula, waitFor, type TestAula } from '../support/testAula.js';

describe('SeatLedger on the real database', () => {
  const uri = testDatabaseUri('seats');
  // Two connections (two pools) stand for two Aula processes.
  const connections = [mongoose.createConnection(uri), mongoose.createConnection(uri)];
  const ledgers = connections.map(
    (connection) => new SeatLedger(createModels(connection), { leaseMs: 60_000, graceMs: 500 }),
  );

  beforeAll(async () => {
    await Promise.all(connections.map((connection) => connection.asPromise()));
    for (const model of Object.values(connections[0]!.models)) await model.createIndexes();
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await dropDatabase(uri);
  });

  const request = (lessonId: string, userKey: string, kind: 'enrolled' | 'guest' = 'enrolled') => ({
    lessonId,
    userKey,
    kind,
    seatCap: 50,
    reservedSeats: 0,
  });

  it('grants exactly 50 of 200 simultaneous requests from two processes', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledgers[i % 2]!.take(request('L-race', `student-${i}`))),
    );
    expect(results.filter((result) => result.granted)).toHaveLength(50);
    expect(await ledgers[0]!.occupied('L-race')).toBe(50);
    const slots = results.flatMap((result) => (result.granted ? [result.slot] : []));
    expect(new Set(slots).size).toBe(50);
  });

  it('takes a free seat with one database operation, even in a process that has not seen the lesson', async () => {
    const monitored = mongoose.createConnection(uri, { monitorCommands: true });
    await monitored.asPromise();
    try {
      const models = createModels(monitored);
      // Mongoose creates each model's collection once on a new connection: not the ledger's work.
      await Promise.all(Object.values(models).map((model) => model.init()));
      const commands: string[] = [];
      monitored.getClient().on('commandStarted', (event) => commands.push(event.commandName));
      const fresh = new SeatLedger(models, { leaseMs: 60_000, graceMs: 500 });
      const there = await ledgers[0]!.take(request('L-one', 'already-there'));
      // A fresh process picks at random among the slots it believes free: kept away from the one it
      // cannot know is taken, or a collision (1 in 50, resolved by a read and a retry) is what it measures.
      const slot = there.granted ? there.slot : 0;
      vi.spyOn(Math, 'random').mockReturnValue(slot >= 25 ? 0 : 0.999);
      for (const userKey of ['first', 'second', 'third']) {
        commands.length = 0;
        expect((await fresh.take(request('L-one', userKey))).granted).toBe(true);
        expect(commands).toEqual(['insert']);
      }
      expect(await ledgers[0]!.occupied('L-one')).toBe(4);
    } finally {
      vi.restoreAllMocks();
      await monitored.close();
    }
  });

  it('gives the same user one seat however many tabs ask at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ledgers[i % 2]!.take(request('L-tabs', 'same-user'))),
    );
    expect(results.every((result) => result.granted)).toBe(true);
    expect(new Set(results.map((result) => (result.granted ? result.slot : -1))).size).toBe(1);
    expect(await ledgers[0]!.occupied('L-tabs')).toBe(1);
  });

  it('never counts below zero when a seat is released twice', async () => {
    await ledgers[0]!.take(request('L-double', 'u1'));
    await ledgers[0]!.releaseNow('L-double', 'u1');
    await ledgers[1]!.releaseNow('L-double', 'u1');
    expect(await ledgers[0]!.occupied('L-double')).toBe(0);
    const again = await ledgers[0]!.take({ ...request('L-double', 'u2'), seatCap: 1 });
    expect(again.granted).toBe(true);
    expect(await ledgers[0]!.occupied('L-double')).toBe(1);
  });

  it('frees the seats of a process that stopped renewing once their lease expires', async () => {
    const dead = new SeatLedger(createModels(connections[1]!), { leaseMs: 300, graceMs: 300 });
    for (let i = 0; i < 3; i++)
      expect((await dead.take({ ...request('L-dead', `old-${i}`), seatCap: 3 })).granted).toBe(true);
    expect((await ledgers[0]!.take({ ...request('L-dead', 'newcomer'), seatCap: 3 })).granted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await ledgers[0]!.take({ ...request('L-dead', 'newcomer'), seatCap: 3 })).granted).toBe(true);
    expect(await ledgers[0]!.occupied('L-dead')).toBe(1);
  });

  it('keeps reserved seats for enrolled students', async () => {
    const reserved = (userKey: string, kind: 'enrolled' | 'guest') => ({
      ...request('L-reserved', userKey, kind),
      seatCap: 3,
      reservedSeats: 2,
    });
    expect((await ledgers[0]!.take(reserved('guest-1', 'guest'))).granted).toBe(true);
    expect((await ledgers[0]!.take(reserved('guest-2', 'guest'))).granted).toBe(false);
    expect((await ledgers[0]!.take(reserved('student-1', 'enrolled'))).granted).toBe(true);
    expect((await ledgers[0]!.take(reserved('student-2', 'enrolled'))).granted).toBe(true);
    expect((await ledgers[0]!.take(reserved('student-3', 'enrolled'))).granted).toBe(false);
  });
});

describe('seats through two Aula instances', () => {
  let first: TestAula;
  let second: TestAula;
  const clients: ClassroomClient[] = [];

  beforeAll(async () => {
    first = await startTestAula({ AULA_SEAT_GRACE_SECONDS: '2' });
    // The second instance shares the first one's database, as two processes behind a load balancer would.
    second = await startTestAula({ MONGODB_URI: first.mongoUri, AULA_SEAT_GRACE_SECONDS: '2' });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await second?.close();
    await first?.stop();
  });

  it('admits exactly the cap when 200 students join at once across both instances', async () => {
    const classroom = await createClassroom(first, { seatCap: 50, lobbyEnabled: false });
    for (const aula of [first, second]) {
      const teacher = await connectAs(aula, classroom._id, { id: `teacher-${aula.port}`, role: 'teacher' });
      clients.push(teacher);
      await teacher.request('join');
      await teacher.request('lesson:start');
    }
    const students = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        connectAs(i % 2 ? second : first, classroom._id, { id: `s${i}`, role: 'student' }),
      ),
    );
    clients.push(...students);
    const outcomes = await Promise.all(
      students.map((student) =>
        student.request('join').then(
          (result) => result.status,
          (error: { error?: { code: string } }) => error.error?.code ?? 'error',
        ),
      ),
    );
    expect(outcomes.filter((status) => status === 'joined')).toHaveLength(50);
    expect(outcomes.filter((status) => status === 'ROOM_FULL')).toHaveLength(150);
    const lesson = await first.services.lessons.live(classroom._id);
    expect(await first.services.seats.occupied(lesson!._id)).toBe(50);
  });

  it('holds the seat through a reconnect within the grace period, then frees it', async () => {
    const classroom = await createClassroom(first, { seatCap: 1, lobbyEnabled: false });
    const teacher = await connectAs(first, classroom._id, { id: 'teacher-grace', role: 'teacher' });
    clients.push(teacher);
    await teacher.request('join');
    await teacher.request('lesson:start');

    const anna = await connectAs(first, classroom._id, { id: 'anna', role: 'student' });
    expect((await anna.request('join')).status).toBe('joined');
    anna.close();

    const ben = await connectAs(second, classroom._id, { id: 'ben', role: 'student' });
    clients.push(ben);
    expect((await expectFailure(ben.request('join'))).code).toBe('ROOM_FULL');

    const annaAgain = await connectAs(second, classroom._id, { id: 'anna', role: 'student' });
    clients.push(annaAgain);
    expect((await annaAgain.request('join')).status).toBe('joined');
    annaAgain.close();

    const benAgain = await connectAs(second, classroom._id, { id: 'ben', role: 'student' });
    clients.push(benAgain);
    await waitFor(
      async () => {
        try {
          return (await benAgain.request('join')).status === 'joined';
        } catch {
          return false;
        }
      },
      { timeoutMs: 10_000, intervalMs: 500, what: 'the seat to free after the grace period' },
    );
  });
});
