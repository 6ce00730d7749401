import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import type { JoinResult } from '../../../src/protocol/index.js';
import { expectFailure, type ClassroomClient } from '../../support/classroomClient.js';
import {
  connectAs,
  createClassroom,
  joinedStudent,
  liveLesson,
  tokenFor,
} from '../../support/classroomFixtures.js';
import { startTestAula, waitFor, type TestAula } from '../../support/testAula.js';

type Joined = Extract<JoinResult, { status: 'joined' }>;

function asJoined(result: JoinResult): Joined {
  if (result.status !== 'joined') throw new Error(`expected to join, got ${result.status}`);
  return result;
}

describe('reconnection', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started), { AULA_SEAT_GRACE_SECONDS: '3' });
  const track = <T extends ClassroomClient>(client: T) => {
    clients.push(client);
    return client;
  };

  it('keeps a dropped page’s seat, hand and attendance interval, and lets it continue with its resume key', async () => {
    const { classroom, teacher, lessonId } = await liveLesson(aula);
    track(teacher);
    const first = track(await connectAs(aula, classroom._id, { id: 'anna', role: 'student' }));
    const joined = asJoined(await first.request('join'));
    await first.request('hand:raise');
    first.close();
    const away = await teacher.next('participantUpdated', (p) => p.id === joined.self.id && p.away);
    expect(away.handRaisedAt).not.toBeNull();

    const again = track(await connectAs(aula, classroom._id, { id: 'anna', role: 'student' }));
    const back = asJoined(
      await again.request('join', {
        resume: { participantId: joined.self.id, key: joined.resumeKey, keepMedia: true },
      }),
    );
    expect(back.self).toMatchObject({ id: joined.self.id, away: false });
    expect(back.self.handRaisedAt).toBe(away.handRaisedAt);
    expect(back.resumed?.keptMedia).toBe(true);
    await teacher.next('participantUpdated', (p) => p.id === joined.self.id && !p.away);
    // Requests on the new connection act for the same participant.
    expect((await again.request('hand:lower')).queue).toEqual([]);

    await aula.services.writes.settled();
    const intervals = await aula.services.attendance.intervals(lessonId);
    const annas = intervals.filter((interval) => interval.userKey.endsWith(':anna'));
    expect(annas).toHaveLength(1);
    expect(annas[0]!.leftAt).toBeUndefined();
    expect(annas[0]!.gaps).toHaveLength(1);
  });

  it('lets a page that comes back before the server noticed the drop take over from its old connection', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    track(teacher);
    const old = track(await connectAs(aula, classroom._id, { id: 'ben', role: 'student' }));
    const joined = asJoined(await old.request('join'));
    const replaced = old.disconnected();
    const fresh = track(await connectAs(aula, classroom._id, { id: 'ben', role: 'student' }));
    const back = asJoined(
      await fresh.request('join', {
        resume: { participantId: joined.self.id, key: joined.resumeKey, keepMedia: false },
      }),
    );
    expect(back.self.id).toBe(joined.self.id);
    expect(back.resumed?.keptMedia).toBe(false);
    expect(await replaced).toBe('io server disconnect');
    // The old connection closing does not send the participant away.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const room = await aula.services.rooms.peek(classroom._id);
    expect(room!.ctx.roster.get(joined.self.id)?.state).toBe('joined');
  });

  it('treats a wrong or foreign resume key as a new participant', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    track(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna2' });
    track(anna.client);
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const key = room.ctx.roster.get(anna.id)!.resumeKey;

    const guesser = track(await connectAs(aula, classroom._id, { id: 'anna2', role: 'student' }));
    const guessed = asJoined(
      await guesser.request('join', { resume: { participantId: anna.id, key: 'wrong', keepMedia: false } }),
    );
    expect(guessed.self.id).not.toBe(anna.id);
    const thief = track(await connectAs(aula, classroom._id, { id: 'mallory', role: 'student' }));
    const stolen = asJoined(
      await thief.request('join', { resume: { participantId: anna.id, key, keepMedia: false } }),
    );
    expect(stolen.self.id).not.toBe(anna.id);
    expect(room.ctx.roster.get(anna.id)?.state).toBe('joined');
  });

  it('lets a page that stayed away leave after the grace period, as of when its connection dropped', async () => {
    const { classroom, teacher, lessonId } = await liveLesson(aula);
    track(teacher);
    const carl = await joinedStudent(aula, classroom._id, { id: 'carl' });
    const droppedAt = Date.now();
    carl.client.close();
    await teacher.next('participantLeft', (event) => event.participantId === carl.id, 10_000);
    await aula.services.writes.settled();
    const [interval] = (await aula.services.attendance.intervals(lessonId)).filter((i) =>
      i.userKey.endsWith(':carl'),
    );
    expect(interval!.leftAt!.getTime()).toBeLessThan(droppedAt + 1000);
  });

  it('frees the seat at once when a student leaves on purpose or closes the tab', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: false, seatCap: 1 });
    track(teacher);
    const leaver = await joinedStudent(aula, classroom._id, { id: 'leaver' });
    await leaver.client.request('leave');
    await aula.services.writes.settled();
    const next = await joinedStudent(aula, classroom._id, { id: 'next' });
    track(next.client);

    // A closing tab cannot send over its socket; its beacon carries token and resume key.
    const room = (await aula.services.rooms.peek(classroom._id))!;
    const key = room.ctx.roster.get(next.id)!.resumeKey;
    const token = await tokenFor(aula, classroom._id, { id: 'next', role: 'student' });
    const sendBeacon = (body: unknown, classroomId = classroom._id) =>
      fetch(`${aula.url}/api/classrooms/${classroomId}/leave`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    // Nobody else's beacon, and no broken one, takes her out.
    const mallory = await tokenFor(aula, classroom._id, { id: 'mallory', role: 'student' });
    expect((await sendBeacon({ token: mallory, participantId: next.id, key })).status).toBe(204);
    const elsewhere = await createClassroom(aula);
    const foreign = await tokenFor(aula, elsewhere._id, { id: 'next', role: 'student' });
    const refusals: Array<[unknown, number, string?]> = [
      [{ token: foreign, participantId: next.id, key }, 403],
      [{ token: 'forged.token.here', participantId: next.id, key }, 401],
      [{ token, participantId: next.id }, 400],
      [{ token, participantId: next.id, key, extra: 1 }, 400],
      ['{not json', 400],
      [{ token, participantId: next.id, key: 'k'.repeat(20_000) }, 413],
    ];
    for (const [body, status] of refusals) expect((await sendBeacon(body)).status).toBe(status);
    expect((await sendBeacon({ token: foreign, participantId: next.id, key }, elsewhere._id)).status).toBe(
      204,
    );
    expect(room.ctx.roster.get(next.id)?.state).toBe('joined');

    expect((await sendBeacon({ token, participantId: next.id, key })).status).toBe(204);
    await aula.services.writes.settled();
    const third = await joinedStudent(aula, classroom._id, { id: 'third' });
    track(third.client);
  });

  it('sends students admitted before a restart straight back into the lesson, never the waiting room', async () => {
    const classroom = await createClassroom(aula, { lobbyEnabled: true });
    const other = await startTestAula({ MONGODB_URI: aula.mongoUri });
    try {
      const teacher = track(await connectAs(other, classroom._id, { id: 'teacher-r', role: 'teacher' }));
      await teacher.request('join');
      const { lessonId } = await teacher.request('lesson:start');
      const student = track(await connectAs(other, classroom._id, { id: 'dora', role: 'student' }));
      const waiting = await student.request('join');
      expect(waiting.status).toBe('lobby');
      await teacher.request('lobby:admit', { participantId: waiting.self.id });
      await student.next('lobby:admitted');
      await other.close();

      // The same people reach another process (a restart, or the next node).
      const teacherBack = track(await connectAs(aula, classroom._id, { id: 'teacher-r', role: 'teacher' }));
      expect((await teacherBack.request('join')).status).toBe('joined');
      const studentBack = track(await connectAs(aula, classroom._id, { id: 'dora', role: 'student' }));
      expect((await studentBack.request('join')).status).toBe('joined');
      await aula.services.writes.settled();
      const intervals = await aula.services.attendance.intervals(lessonId);
      for (const who of [':teacher-r', ':dora']) {
        const open = intervals.filter((i) => i.userKey.endsWith(who) && !i.leftAt);
        expect({ who, open: open.length }).toEqual({ who, open: 1 });
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a join with a typed error while the lesson is full, and still resumes a dropped student', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: false, seatCap: 1 });
    track(teacher);
    const first = track(await connectAs(aula, classroom._id, { id: 'holder', role: 'student' }));
    const joined = asJoined(await first.request('join'));
    first.close();
    await teacher.next('participantUpdated', (p) => p.id === joined.self.id && p.away);
    const newcomer = track(await connectAs(aula, classroom._id, { id: 'newcomer', role: 'student' }));
    expect((await expectFailure(newcomer.request('join'))).code).toBe('ROOM_FULL');
    const back = track(await connectAs(aula, classroom._id, { id: 'holder', role: 'student' }));
    await waitFor(async () =>
      asJoined(
        await back.request('join', {
          resume: { participantId: joined.self.id, key: joined.resumeKey, keepMedia: true },
        }),
      ),
    );
  });
});
