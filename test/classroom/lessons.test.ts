import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassroomClient } from '../support/classroomClient.js';
import { expectFailure } from '../support/classroomClient.js';
import { connectAs, createClassroom } from '../support/classroomFixtures.js';
import { startTestAula, type TestAula } from '../support/testAula.js';

describe('lessons, lobby, permissions and removal', () => {
  let aula: TestAula;
  const clients: ClassroomClient[] = [];
  const connect = async (
    ...args: Parameters<typeof connectAs> extends [unknown, ...infer Rest] ? Rest : never
  ) => {
    const client = await connectAs(aula, ...args);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    aula = await startTestAula();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await aula?.stop();
  });

  it('keeps early students in the lobby and brings them in when the teacher starts the lesson', async () => {
    const classroom = await createClassroom(aula);
    const student = await connect(classroom._id, { id: 'early', role: 'student' });
    const waiting = await student.request('join');
    expect(waiting).toMatchObject({ status: 'lobby', reason: 'not-started' });

    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    expect(await teacher.request('join')).toMatchObject({ status: 'lobby', reason: 'not-started' });
    const started = student.next('lesson:started');
    const { lessonId } = await teacher.request('lesson:start');
    const joined = await started;
    expect(joined.status).toBe('joined');
    if (joined.status !== 'joined') return;
    expect(joined.room.lesson?.id).toBe(lessonId);
    expect(joined.permissions).toMatchObject({
      unmute: true,
      camera: true,
      screenShare: false,
      moderate: false,
    });
    expect((await teacher.next('lesson:started')).status).toBe('joined');
  });

  it('sends students who arrive during the lesson to the waiting room until the teacher admits them', async () => {
    const classroom = await createClassroom(aula);
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');

    const late = await connect(classroom._id, { id: 'late', role: 'student', name: 'Lena Late' });
    expect(await late.request('join')).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
    const { lobby } = await teacher.next('lobby:changed', (event) => event.lobby.length === 1);
    expect(lobby[0]).toMatchObject({ displayName: 'Lena Late', role: 'student' });

    const admitted = late.next('lobby:admitted');
    await teacher.request('lobby:admit', { participantId: lobby[0]!.id });
    expect((await admitted).status).toBe('joined');

    const others = await Promise.all(
      ['a', 'b', 'c'].map((id) => connect(classroom._id, { id, role: 'student' })),
    );
    for (const other of others) await other.request('join');
    await teacher.next('lobby:changed', (event) => event.lobby.length === 3);
    expect(await teacher.request('lobby:admitAll')).toEqual({ admitted: 3, waiting: 0 });
    for (const other of others) expect((await other.next('lobby:admitted')).status).toBe('joined');
  });

  it('always sends guests through the lobby, even with the waiting room off', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');
    const student = await connect(classroom._id, { id: 'direct', role: 'student' });
    expect((await student.request('join')).status).toBe('joined');
    const guest = await connect(classroom._id, { id: 'g1', role: 'guest', name: 'Visitor' });
    expect(await guest.request('join')).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
  });

  it('applies permission changes at once: chat switched off is refused, switched on works again', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    const teacherId = (await teacher.request('join')).self.id;
    await teacher.request('lesson:start');
    const student = await connect(classroom._id, { id: 'talker', role: 'student' });
    await student.request('join');

    expect((await student.request('chat:send', { text: 'hello' })).message.text).toBe('hello');
    await teacher.request('mod:settings', { studentPermissions: { chatPublic: false, chatPrivate: false } });
    expect((await student.next('permissionsChanged', (p) => !p.chatPublic)).chatPrivate).toBe(false);
    expect((await expectFailure(student.request('chat:send', { text: 'still here?' }))).code).toBe(
      'PERMISSION_DENIED',
    );
    // Writing privately to the teacher stays possible.
    const toTeacher = teacher.next('chat:message', (message) => message.text === 'may I ask?');
    await student.request('chat:send', { text: 'may I ask?', to: teacherId });
    expect((await toTeacher).to?.id).toBe(teacherId);

    await teacher.request('mod:settings', { studentPermissions: { chatPublic: true } });
    await student.next('permissionsChanged', (p) => p.chatPublic);
    expect((await student.request('chat:send', { text: 'back' })).message.text).toBe('back');
  });

  it('keeps a removed student out for the rest of the lesson', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');
    const troll = await connect(classroom._id, { id: 'troll', role: 'student' });
    const joined = await troll.request('join');
    const removed = troll.next('removed');
    const gone = troll.disconnected();
    await teacher.request('mod:remove', { participantId: joined.self.id });
    expect((await removed).reason).toMatch(/removed/);
    await gone;
    await teacher.next('participantLeft', (event) => event.participantId === joined.self.id);

    const again = await connect(classroom._id, { id: 'troll', role: 'student' });
    expect((await expectFailure(again.request('join'))).code).toBe('REMOVED');
    // Recorded in the database, so another Aula process keeps them out too.
    await aula.services.writes.settled();
    const lesson = await aula.services.lessons.live(classroom._id);
    expect(lesson?.removedUserKeys).toEqual(['lms:test-platform:troll']);
  });

  it('refuses newcomers while the lesson is locked and lets them in after unlocking', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');
    await teacher.request('mod:lock', { locked: true });
    const newcomer = await connect(classroom._id, { id: 'newcomer', role: 'student' });
    expect((await expectFailure(newcomer.request('join'))).code).toBe('ROOM_LOCKED');
    await teacher.request('mod:lock', { locked: false });
    expect((await newcomer.request('join')).status).toBe('joined');
  });

  it('lets only teachers moderate', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    await teacher.request('lesson:start');
    const student = await connect(classroom._id, { id: 'sneaky', role: 'student' });
    const joined = await student.request('join');
    for (const attempt of [
      student.request('mod:muteAll'),
      student.request('lesson:end'),
      student.request('mod:lock', { locked: true }),
      student.request('mod:remove', { participantId: joined.self.id }),
      student.request('mod:settings', { lectureMode: true }),
    ]) {
      expect((await expectFailure(attempt)).code).toBe('PERMISSION_DENIED');
    }
  });

  it('ends the lesson for everyone, frees the seats and closes attendance', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: false });
    const teacher = await connect(classroom._id, { id: 'teacher', role: 'teacher' });
    await teacher.request('join');
    const { lessonId } = await teacher.request('lesson:start');
    const student = await connect(classroom._id, { id: 'stay', role: 'student' });
    await student.request('join');
    expect(await aula.services.seats.occupied(lessonId)).toBe(1);

    const ended = student.next('lesson:ended');
    await teacher.request('lesson:end');
    expect((await ended).reason).toBe('teacher');
    expect(await aula.services.seats.occupied(lessonId)).toBe(0);
    expect(await aula.services.lessons.live(classroom._id)).toBeUndefined();
    const intervals = await aula.services.attendance.intervals(lessonId);
    expect(intervals).toHaveLength(2);
    expect(intervals.every((interval) => interval.leftAt instanceof Date)).toBe(true);
  });

  it('ends a lesson nobody attended for the idle time', async () => {
    const classroom = await createClassroom(aula);
    const { lesson } = await aula.services.lessons.start(classroom._id, 'lms:test-platform:t');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await aula.services.lessons.endIdle(10)).toContain(lesson._id);
    expect((await aula.services.lessons.get(lesson._id)).endedReason).toBe('idle');
    expect(await aula.services.lessons.live(classroom._id)).toBeUndefined();
  });

  it('starts one lesson when two teachers press start at once', async () => {
    const classroom = await createClassroom(aula);
    const results = await Promise.all([
      aula.services.lessons.start(classroom._id, 'lms:test-platform:t1'),
      aula.services.lessons.start(classroom._id, 'lms:test-platform:t2'),
    ]);
    expect(results[0].lesson._id).toBe(results[1].lesson._id);
    expect(results.filter((result) => result.started)).toHaveLength(1);
  });
});
