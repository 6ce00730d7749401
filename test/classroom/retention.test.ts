import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmsUserKey } from '../../src/classroom/userKeys.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('retention and erasure', () => {
  let aula: TestAula;
  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    await aula?.stop();
  });

  const past = () => new Date(Date.now() - 1000);
  const future = () => new Date(Date.now() + 60 * 60_000);

  it('deletes attendance, chat, guest and launch records whose retention has passed, and nothing else', async () => {
    const { models } = aula.database;
    const attendance = (id: string, expiresAt: Date) => ({
      _id: id,
      classroomId: 'c',
      lessonId: 'l',
      userKey: 'u',
      displayName: 'U',
      role: 'student' as const,
      joinedAt: new Date(),
      lastSeenAt: new Date(),
      expiresAt,
    });
    await models.attendance.create([attendance('old', past()), attendance('new', future())]);
    const chat = (id: string, expiresAt: Date) => ({
      _id: id,
      classroomId: 'c',
      lessonId: 'l',
      fromUserKey: 'u',
      fromName: 'U',
      text: 'hi',
      sentAt: new Date(),
      expiresAt,
    });
    await models.chatMessages.create([chat('old', past()), chat('new', future())]);
    const guest = (id: string, expiresAt: Date) => ({
      _id: id,
      classroomId: 'c',
      displayName: 'G',
      createdAt: new Date(),
      expiresAt,
    });
    await models.guests.create([guest('old', past()), guest('new', future())]);
    const captionLine = (id: string, expiresAt: Date) => ({
      _id: id,
      classroomId: 'c',
      lessonId: 'l',
      source: 'typed' as const,
      speakerUserKey: 'u',
      text: 'kept line',
      at: new Date(),
      expiresAt,
    });
    await models.captionLines.create([captionLine('old', past()), captionLine('new', future())]);
    await models.tickets.create([
      { _id: 'old', kind: 'launch', payload: {}, expiresAt: past() },
      { _id: 'new', kind: 'launch', payload: {}, expiresAt: future() },
    ]);
    // ltijs's launch state, whose TTL index FerretDB cannot create.
    await aula.database.connection.collection('nonces').insertMany([
      { nonce: 'stale', createdAt: new Date(Date.now() - 11 * 60_000) },
      { nonce: 'fresh', createdAt: new Date() },
    ]);

    const { deleted } = await aula.retention.sweep();
    expect(deleted).toMatchObject({
      attendance: 1,
      chatMessages: 1,
      captionLines: 1,
      guests: 1,
      tickets: 1,
      'ltijs.nonces': 1,
    });
    expect((await models.attendance.find().lean()).map((r) => r._id)).toEqual(['new']);
    expect((await models.chatMessages.find().lean()).map((r) => r._id)).toEqual(['new']);
    expect((await models.captionLines.find().lean()).map((r) => r._id)).toEqual(['new']);
    expect((await models.guests.find().lean()).map((r) => r._id)).toEqual(['new']);
    expect((await models.tickets.find().lean()).map((r) => r._id)).toEqual(['new']);
    expect(await aula.database.connection.collection('nonces').countDocuments()).toBe(1);
  });

  it('erases everything about one user and keeps everyone else', async () => {
    const { models } = aula.database;
    const victim = lmsUserKey('p1', 'alice');
    const other = lmsUserKey('p1', 'bob');
    const base = {
      classroomId: 'c2',
      lessonId: 'l2',
      joinedAt: new Date(),
      lastSeenAt: new Date(),
      expiresAt: future(),
    };
    await models.attendance.create([
      { _id: 'a1', ...base, userKey: victim, displayName: 'Alice', role: 'student' },
      { _id: 'a2', ...base, userKey: other, displayName: 'Bob', role: 'student' },
    ]);
    const message = { classroomId: 'c2', lessonId: 'l2', sentAt: new Date(), expiresAt: future(), text: 'x' };
    await models.chatMessages.create([
      { _id: 'm1', ...message, fromUserKey: victim, fromName: 'Alice' },
      { _id: 'm2', ...message, fromUserKey: other, fromName: 'Bob', toUserKey: victim },
      { _id: 'm3', ...message, fromUserKey: other, fromName: 'Bob' },
    ]);
    const line = {
      classroomId: 'c2',
      lessonId: 'l2',
      source: 'automatic' as const,
      at: new Date(),
      expiresAt: future(),
    };
    await models.captionLines.create([
      { _id: 'k1', ...line, speakerUserKey: victim, speakerName: 'Alice', text: 'said by Alice' },
      { _id: 'k2', ...line, speakerUserKey: other, speakerName: 'Bob', text: 'said by Bob' },
    ]);
    await models.seats.create({
      _id: 'l2:0',
      lessonId: 'l2',
      slot: 0,
      userKey: victim,
      kind: 'enrolled',
      expiresAt: future(),
    });
    await models.rosters.create({
      _id: 'p1:d1:course',
      members: [
        { lmsUserId: 'alice', name: 'Alice', role: 'student', active: true },
        { lmsUserId: 'bob', name: 'Bob', role: 'student', active: true },
      ],
      fetchedAt: new Date(),
      expiresAt: future(),
    });
    // A lesson where both were made captioners: only Alice's role goes.
    await models.lessons.create({
      _id: 'l2',
      classroomId: 'c2',
      status: 'ended',
      startedAt: new Date(),
      startedBy: other,
      lastActivityAt: new Date(),
      captionerUserKeys: [victim, other],
    });
    await aula.database.connection
      .collection('idtokens')
      .insertOne({ iss: 'https://lms.example', user: 'alice' });

    const counts = await aula.lti.eraseUser({
      platformId: 'p1',
      issuer: 'https://lms.example',
      lmsUserId: 'alice',
    });
    expect(counts).toMatchObject({
      attendance: 1,
      chatMessages: 2,
      captionLines: 1,
      seats: 1,
      rosters: 1,
      lessons: 1,
      'ltijs.idtokens': 1,
    });
    expect((await models.lessons.findById('l2').lean())?.captionerUserKeys).toEqual([other]);
    expect(await models.attendance.countDocuments({ userKey: victim })).toBe(0);
    expect(await models.attendance.countDocuments({ userKey: other })).toBe(1);
    expect((await models.chatMessages.find({ classroomId: 'c2' }).lean()).map((m) => m._id)).toEqual(['m3']);
    expect((await models.captionLines.find({ classroomId: 'c2' }).lean()).map((m) => m._id)).toEqual(['k2']);
    expect((await models.rosters.findById('p1:d1:course').lean())?.members.map((m) => m.lmsUserId)).toEqual([
      'bob',
    ]);
  });
});
