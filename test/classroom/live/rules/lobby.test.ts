import { describe, expect, it } from 'vitest';
import { fakeClassroom, settle } from '../../../support/fakeClassroom.js';
import { fakeLesson } from '../../../support/fakeLesson.js';

describe('waiting room (rules)', () => {
  it('lets those who waited for the start in when it starts, teachers first; guests keep waiting for a click', async () => {
    const fake = await fakeClassroom({ lobbyEnabled: false });
    const { classroom } = fake;
    const anna = fake.open('anna');
    const guest = fake.open('Gast', 'guest');
    const teacher = fake.open('Frau Berg', 'teacher');
    expect((await classroom.join(anna.participant)).result).toMatchObject({
      status: 'lobby',
      reason: 'not-started',
    });
    expect((await classroom.join(guest.participant)).result).toMatchObject({
      status: 'lobby',
      reason: 'not-started',
    });
    await classroom.join(teacher.participant);
    await classroom.startLesson(teacher.participant);
    expect(teacher.participant.state).toBe('joined');
    expect(anna.channel.last('lesson:started')).toMatchObject({ status: 'joined' });
    expect(guest.participant.state).toBe('lobby');
    expect(guest.participant.lobbyReason).toBe('waiting-room');
    await settle();
    expect(guest.channel.last('lobby:status')).toMatchObject({ reason: 'waiting-room', position: 1 });
  });

  it('admits everyone waiting now, guests included, and nothing more: a later guest waits', async () => {
    const { classroom, teacher, joins } = await fakeLesson([], { lobbyEnabled: true });
    const waiting = [await joins('s1'), await joins('s2'), await joins('Gast', 'guest')];
    expect(waiting.map((tab) => tab.result.status)).toEqual(['lobby', 'lobby', 'lobby']);
    expect(await classroom.membership.lobby.admitAll()).toEqual({ admitted: 3, waiting: 0 });
    expect(classroom.ctx.lesson?.autoAdmit).toBe(false);
    const later = await joins('Spät', 'guest');
    await settle();
    expect(later.result).toMatchObject({ status: 'lobby', reason: 'waiting-room' });
    expect(later.participant.state).toBe('lobby');
    expect(teacher.channel.last('lobby:changed')).toMatchObject({ lobby: [{ id: later.participant.id }] });
  });

  it('lets students in by themselves as seats free only while the teacher switched it on, never guests', async () => {
    const { classroom, joins } = await fakeLesson(['full'], { lobbyEnabled: true, seatCap: 1 });
    const guest = await joins('Gast', 'guest');
    const student = await joins('next');
    classroom.membership.lobby.setAutoAdmit(true);
    await settle();
    expect(student.participant.state).toBe('lobby');
    await classroom.membership.membership.leave(
      (await classroom.ctx.roster.tabInLesson('student:full'))!,
      'left',
    );
    await settle();
    expect(student.participant.state).toBe('joined');
    expect(student.channel.last('lobby:admitted')).toMatchObject({ status: 'joined' });
    expect(guest.participant.state).toBe('lobby');

    classroom.membership.lobby.setAutoAdmit(false);
    await classroom.membership.membership.leave(student.participant, 'left');
    const another = await joins('another');
    await settle();
    expect(another.participant.state).toBe('lobby');
  });

  it('tells a waiting student their place, that the class is full, and refuses admitting beyond the cap', async () => {
    const { classroom, joins } = await fakeLesson(['in'], { lobbyEnabled: true, seatCap: 1 });
    const first = await joins('first');
    const second = await joins('second');
    expect(second.result).toMatchObject({ status: 'lobby', position: 2, full: true });
    await expect(classroom.membership.lobby.admit(first.participant.id)).rejects.toMatchObject({
      code: 'ROOM_FULL',
    });
    await classroom.membership.lobby.deny(first.participant.id);
    await settle();
    expect(first.channel.last('lobby:denied')).toBeDefined();
    expect(first.channel.disconnected).toBe('denied');
    expect(second.channel.last('lobby:status')).toEqual({ reason: 'waiting-room', position: 1, full: true });
    await expect(classroom.membership.lobby.admit('nobody')).rejects.toMatchObject({ code: 'NOT_IN_LOBBY' });
  });
});
