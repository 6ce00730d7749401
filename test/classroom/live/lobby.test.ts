import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure } from '../../support/classroomClient.js';
import { connectAs, liveLesson } from '../../support/classroomFixtures.js';
import { type TestAula } from '../../support/testAula.js';

describe('waiting room with a seat cap', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  async function waiting(classroomId: string, id: string) {
    const client = await connectAs(aula, classroomId, { id, role: 'student', name: id });
    clients.push(client);
    const result = await client.request('join');
    expect(result.status).toBe('lobby');
    return { client, id: result.self.id, result };
  }

  it('tells the one left waiting that the class is full and lets them in when a seat frees', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 3 });
    clients.push(teacher);
    const queue = [];
    for (const name of ['first', 'second', 'third', 'fourth']) queue.push(await waiting(classroom._id, name));
    expect(queue.map((entry) => entry.result.status === 'lobby' && entry.result.position)).toEqual([
      1, 2, 3, 4,
    ]);
    const teacherSees = await teacher.next('lobby:changed', (event) => event.lobby.length === 4);
    expect(teacherSees.lobby.map((entry) => entry.position)).toEqual([1, 2, 3, 4]);
    expect(teacherSees.seats).toEqual({ cap: 3, taken: 0 });

    const fourth = queue[3]!;
    const toldFull = fourth.client.next('lobby:status', (status) => status.full);
    expect(await teacher.request('lobby:admitAll')).toEqual({ admitted: 3, waiting: 1 });
    expect(await toldFull).toEqual({ reason: 'waiting-room', position: 1, full: true });
    const counted = await teacher.next('lobby:changed', (event) => event.seats.taken === 3);
    expect(counted).toMatchObject({ autoAdmit: true, lobby: [{ id: fourth.id, position: 1 }] });

    // "Admit everyone" stays on: when a student leaves, the next in line comes in by itself.
    const admitted = fourth.client.next('lobby:admitted');
    await queue[0]!.client.request('leave');
    expect((await admitted).status).toBe('joined');
  });

  it('tells a waiting student the class is full when the teacher cannot admit them', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 1 });
    clients.push(teacher);
    const first = await waiting(classroom._id, 'one');
    const second = await waiting(classroom._id, 'two');
    await teacher.request('lobby:admit', { participantId: first.id });
    const toldFull = second.client.next('lobby:status', (status) => status.full);
    expect((await expectFailure(teacher.request('lobby:admit', { participantId: second.id }))).code).toBe(
      'ROOM_FULL',
    );
    expect(await toldFull).toMatchObject({ position: 1, full: true });
  });

  it('keeps people waiting when the teacher switches "admit everyone" off', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 1 });
    clients.push(teacher);
    const first = await waiting(classroom._id, 'uno');
    const second = await waiting(classroom._id, 'dos');
    expect(await teacher.request('lobby:admitAll')).toEqual({ admitted: 1, waiting: 1 });
    await teacher.request('lobby:autoAdmit', { enabled: false });
    await first.client.request('leave');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.client.events.some((event) => event.name === 'lobby:admitted')).toBe(false);
    const room = await aula.services.rooms.peek(classroom._id);
    expect(room!.ctx.roster.get(second.id)?.state).toBe('lobby');
  });
});
