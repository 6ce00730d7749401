import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { RequestFailed } from '../../support/classroomClient.js';
import { joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('lesson lifecycle', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('answers a lock sent together with the end of the lesson with a typed result, never a server error', async () => {
    for (let round = 0; round < 3; round++) {
      const { teacher } = await liveLesson(aula);
      clients.push(teacher);
      const [lock, end] = await Promise.allSettled([
        teacher.request('mod:lock', { locked: true }),
        teacher.request('lesson:end'),
      ]);
      expect(end.status).toBe('fulfilled');
      if (lock.status === 'rejected') {
        expect(lock.reason).toBeInstanceOf(RequestFailed);
        expect((lock.reason as RequestFailed).error.status).toBeLessThan(500);
      }
    }
  });

  it('broadcasts the lock to everyone in the lesson', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna' });
    clients.push(anna.client);
    const updated = anna.client.next('roomUpdated', (state) => state.lesson?.locked === true);
    await teacher.request('mod:lock', { locked: true });
    expect((await updated).lesson?.locked).toBe(true);
  });

  it('tells everyone the lesson ended and keeps their pages out of the next lesson until they join again', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const anna = await joinedStudent(aula, classroom._id, { id: 'anna-again' });
    clients.push(anna.client);
    await anna.client.request('hand:raise');
    const ended = anna.client.next('lesson:ended');
    await teacher.request('lesson:end');
    expect((await ended).reason).toBe('teacher');
    const room = await aula.services.rooms.peek(classroom._id);
    expect(room!.ctx.roster.get(anna.id)?.state).toBe('connected');

    // The teacher starts the next lesson: Anna's page, still on "the lesson has ended", stays there.
    await teacher.request('join');
    await teacher.request('lesson:start');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(anna.client.events.some((event) => event.name === 'lesson:started')).toBe(false);
    expect(room!.ctx.roster.get(anna.id)?.state).toBe('connected');

    // When she chooses to join, she is in, with no hand up from the last lesson.
    const result = await anna.client.request('join');
    expect(result.status).toBe('joined');
    if (result.status === 'joined') expect(result.room.handQueue).toEqual([]);
  });
});
