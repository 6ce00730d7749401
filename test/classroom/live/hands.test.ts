import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, joinedStudent, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('hands', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  it('keeps raised hands in the order they went up and lets the teacher call the next ones', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const first = await joinedStudent(aula, classroom._id, { id: 'first' });
    const second = await joinedStudent(aula, classroom._id, { id: 'second' });
    clients.push(first.client, second.client);
    expect((await second.client.request('hand:raise')).queue).toEqual([second.id]);
    expect((await first.client.request('hand:raise')).queue).toEqual([second.id, first.id]);
    // Raising again keeps one's place.
    expect((await second.client.request('hand:raise')).queue).toEqual([second.id, first.id]);

    const called = second.client.next('hand:called');
    expect((await teacher.request('mod:callNext', { count: 1 })).called).toEqual([second.id]);
    expect((await called).byName).toBe(`teacher-${classroom._id}`);
    expect((await teacher.request('hand:lower', { participantId: second.id })).queue).toEqual([first.id]);
    expect((await expectFailure(second.client.request('hand:lower', { participantId: first.id }))).code).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('refuses hand requests from the waiting room and never shows a waiting student to the class', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true });
    clients.push(teacher);
    const waiting = await connectAs(aula, classroom._id, { id: 'waiting', role: 'student' });
    clients.push(waiting);
    const result = await waiting.request('join');
    expect(result.status).toBe('lobby');
    expect((await expectFailure(waiting.request('hand:lower'))).code).toBe('NOT_JOINED');
    expect((await expectFailure(waiting.request('hand:raise'))).code).toBe('NOT_JOINED');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const leaked = teacher.events.filter(
      (event) =>
        event.name === 'participantUpdated' && (event.payload as { id: string }).id === result.self.id,
    );
    expect(leaked).toEqual([]);
  });

  it('drops a hand when its owner leaves the lesson', async () => {
    const { classroom, teacher } = await liveLesson(aula);
    clients.push(teacher);
    const leaving = await joinedStudent(aula, classroom._id, { id: 'leaving' });
    const staying = await joinedStudent(aula, classroom._id, { id: 'staying' });
    clients.push(staying.client);
    await leaving.client.request('hand:raise');
    await staying.client.request('hand:raise');
    await leaving.client.request('leave');
    await teacher.next('participantLeft', (event) => event.participantId === leaving.id);
    expect((await staying.client.request('hand:raise')).queue).toEqual([staying.id]);
  });
});
