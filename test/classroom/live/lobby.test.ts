import { describe, expect, it } from 'vitest';
import { suiteAula } from '../../support/suiteAula.js';
import { expectFailure, type ClassroomClient } from '../../support/classroomClient.js';
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

  it('admits those waiting now and nothing more; the one left waiting hears the class is full', async () => {
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
    expect(counted).toMatchObject({ autoAdmit: false, lobby: [{ id: fourth.id, position: 1 }] });

    // "Admit everyone" switched nothing on: a seat that frees stays free until a teacher acts.
    await queue[0]!.client.request('leave');
    await teacher.next('lobby:changed', (event) => event.seats.taken === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fourth.client.events.some((event) => event.name === 'lobby:admitted')).toBe(false);

    // The teacher's own switch lets the next in line in, now and whenever a seat frees.
    const admitted = fourth.client.next('lobby:admitted');
    await teacher.request('lobby:autoAdmit', { enabled: true });
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

  it('keeps people waiting when the teacher switches letting them in by themselves off', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 1 });
    clients.push(teacher);
    const first = await waiting(classroom._id, 'uno');
    const second = await waiting(classroom._id, 'dos');
    const firstIn = first.client.next('lobby:admitted');
    await teacher.request('lobby:autoAdmit', { enabled: true });
    await firstIn;
    await teacher.request('lobby:autoAdmit', { enabled: false });
    await first.client.request('leave');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.client.events.some((event) => event.name === 'lobby:admitted')).toBe(false);
    const room = await aula.services.rooms.peek(classroom._id);
    expect(room!.ctx.roster.get(second.id)?.state).toBe('lobby');
  });
});

describe('guests in the waiting room', () => {
  let aula: TestAula;
  const clients = suiteAula((started) => (aula = started));

  async function guestJoins(classroomId: string) {
    const guest = await connectAs(aula, classroomId, {
      id: `guest-${classroomId}`,
      role: 'guest',
      name: 'Gast',
    });
    clients.push(guest);
    const result = await guest.request('join');
    return { guest, result };
  }

  async function stillWaits(guest: ClassroomClient, classroomId: string, id: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(guest.events.some((event) => event.name === 'lobby:admitted')).toBe(false);
    const room = await aula.services.rooms.peek(classroomId);
    expect(room!.ctx.roster.get(id)?.state).toBe('lobby');
  }

  it('keeps a guest waiting who arrives after the teacher admitted everyone', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 10 });
    clients.push(teacher);
    for (const name of ['s1', 's2', 's3']) {
      const student = await connectAs(aula, classroom._id, { id: name, role: 'student' });
      clients.push(student);
      expect((await student.request('join')).status).toBe('lobby');
    }
    expect(await teacher.request('lobby:admitAll')).toEqual({ admitted: 3, waiting: 0 });
    const { guest, result } = await guestJoins(classroom._id);
    // Waiting for the teacher's click in a running lesson, and told so.
    expect(result).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
    await stillWaits(guest, classroom._id, result.self.id);
  });

  it('keeps a guest waiting while students come in by themselves as seats free', async () => {
    const { classroom, teacher } = await liveLesson(aula, { lobbyEnabled: true, seatCap: 10 });
    clients.push(teacher);
    await teacher.request('lobby:autoAdmit', { enabled: true });
    const { guest, result } = await guestJoins(classroom._id);
    expect(result).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
    // A student after the guest comes in by themselves; the guest waits on.
    const student = await connectAs(aula, classroom._id, { id: 'late', role: 'student' });
    clients.push(student);
    const joined = await student.request('join');
    if (joined.status === 'lobby') await student.next('lobby:admitted');
    await stillWaits(guest, classroom._id, result.self.id);
    // The teacher's click lets the guest in.
    const admitted = guest.next('lobby:admitted');
    await teacher.request('lobby:admit', { participantId: result.self.id });
    expect((await admitted).status).toBe('joined');
  });
});
