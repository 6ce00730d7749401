import { describe, expect, it } from 'vitest';
import { settle } from '../../../support/fakeClassroom.js';
import { fakeLesson } from '../../../support/fakeLesson.js';

const lesson = fakeLesson;

describe('breakout rooms (rules)', () => {
  it('moves the same participant between groups: id, seat and resume key stay, the hand goes down', async () => {
    const { classroom, teacher, tabs, records } = await lesson(['anna', 'ben']);
    const anna = tabs.anna!;
    const { participant } = anna;
    const { id, resumeKey } = participant;
    classroom.groups.main.hands.raise(participant);
    await classroom.interaction.breakouts.open({
      groups: 2,
      names: ['Rot', 'Blau'],
      assignment: 'manual',
      manual: { [id]: 0, [tabs.ben!.participant.id]: 1 },
    });
    const moved = anna.channel.last('breakout:moved')!;
    expect(moved.group?.name).toBe('Rot');
    expect(moved.result).toMatchObject({ status: 'joined', self: { id, handRaisedAt: null }, resumeKey });
    expect(classroom.groups.of(participant)?.info?.name).toBe('Rot');
    expect(classroom.ctx.roster.get(id)).toBe(participant);
    // The main room saw her leave; one seat each all along.
    expect(teacher.channel.all('participantLeft').map((left) => left.participantId)).toContain(id);
    expect([...records.seats.values()][0]?.size).toBe(2);
    // Attendance continues per room: the main room's interval closed, Rot's open.
    const annas = records.attendance.filter((interval) => interval.userKey === 'student:anna');
    expect(annas.map((interval) => [interval.room ?? 'main', Boolean(interval.closedAt)])).toEqual([
      ['main', true],
      ['Rot', false],
    ]);
  });

  it('keeps each group to itself: chat and hands reach only the group', async () => {
    const { classroom, tabs } = await lesson(['anna', 'ben', 'clara']);
    const [anna, ben, clara] = [tabs.anna!, tabs.ben!, tabs.clara!];
    await classroom.interaction.breakouts.open({
      groups: 2,
      assignment: 'manual',
      manual: { [anna.participant.id]: 0, [clara.participant.id]: 0, [ben.participant.id]: 1 },
    });
    const rot = classroom.groups.of(anna.participant)!;
    rot.chat.send(anna.participant, 'nur Rot', undefined);
    rot.hands.raise(clara.participant);
    await settle();
    expect(clara.channel.all('chat:message').map((m) => m.text)).toEqual(['nur Rot']);
    expect(ben.channel.all('chat:message')).toEqual([]);
    expect(ben.channel.all('participantUpdated').some((p) => p.id === clara.participant.id)).toBe(false);
    expect(rot.hands.queue()).toEqual([clara.participant.id]);
    expect(classroom.groups.of(ben.participant)!.hands.queue()).toEqual([]);
  });

  it('refuses a choice while no groups are open, and while the teacher assigns them', async () => {
    const { classroom, tabs } = await lesson(['anna']);
    const anna = tabs.anna!.participant;
    await expect(classroom.interaction.breakouts.choose(anna, 'nope')).rejects.toMatchObject({
      code: 'BREAKOUTS_CLOSED',
    });
    await classroom.interaction.breakouts.open({ groups: 2, assignment: 'auto' });
    const group = classroom.groups.breakoutGroups()[0]!.info!.id;
    await expect(classroom.interaction.breakouts.choose(anna, group)).rejects.toMatchObject({
      code: 'BREAKOUT_ASSIGNED',
    });
  });

  it('removes someone from every group at once, and ends the groups with the lesson', async () => {
    const { classroom, tabs, teacher } = await lesson(['anna', 'ben']);
    await classroom.interaction.breakouts.open({ groups: 2, assignment: 'auto' });
    const anna = tabs.anna!;
    await classroom.interaction.moderation.remove(anna.participant.id);
    expect(anna.channel.last('removed')).toBeDefined();
    expect(anna.channel.disconnected).toBe('removed');
    expect(classroom.groups.of(anna.participant)).toBeUndefined();
    expect(classroom.ctx.lesson?.removedUserKeys).toContain('student:anna');

    await classroom.endLesson('teacher');
    expect(classroom.interaction.breakouts.isOpen).toBe(false);
    expect(tabs.ben!.channel.last('lesson:ended')).toEqual({ reason: 'teacher' });
    expect(teacher.channel.last('lesson:ended')).toEqual({ reason: 'teacher' });
    expect(tabs.ben!.participant.state).toBe('connected');
  });

  it('renews seats and attendance once for the whole class, whatever group people are in', async () => {
    const { classroom } = await lesson(['anna', 'ben', 'clara']);
    await classroom.interaction.breakouts.open({ groups: 2, assignment: 'auto' });
    const renewals: string[][] = [];
    const intervals: string[][] = [];
    classroom.ctx.services.seats.renew = async (_lessonId, holders) => void renewals.push(holders);
    classroom.ctx.services.attendance.heartbeat = async (ids) => void intervals.push(ids);
    classroom.heartbeat();
    await settle();
    expect(renewals).toHaveLength(1);
    expect([...renewals[0]!].sort()).toEqual(['student:anna', 'student:ben', 'student:clara']);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]).toHaveLength(4);
  });
});
