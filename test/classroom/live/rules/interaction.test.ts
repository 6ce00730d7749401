import { afterEach, describe, expect, it, vi } from 'vitest';
import { Permission } from '../../../../src/classroom/permissions.js';
import { settle } from '../../../support/fakeClassroom.js';
import { fakeLesson } from '../../../support/fakeLesson.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('hands and the floor (rules)', () => {
  it('keeps hands in the order they went up, calls the next ones, and lowers a hand when its owner leaves', async () => {
    const { classroom, tabs, teacher } = await fakeLesson(['a', 'b', 'c']);
    const hands = classroom.groups.main.hands;
    for (const name of ['b', 'a', 'c']) hands.raise(tabs[name]!.participant);
    hands.raise(tabs.b!.participant);
    expect(hands.queue()).toEqual(['b', 'a', 'c'].map((name) => tabs[name]!.participant.id));
    expect(hands.callNext(teacher.participant, 2)).toHaveLength(2);
    expect(tabs.a!.channel.last('hand:called')).toEqual({ byName: 'Frau Berg' });
    expect(tabs.c!.channel.all('hand:called')).toEqual([]);
    await classroom.membership.membership.leave(tabs.b!.participant, 'left');
    expect(hands.queue()).toEqual(['a', 'c'].map((name) => tabs[name]!.participant.id));
    hands.lowerAll();
    await settle();
    expect(hands.queue()).toEqual([]);
    expect(teacher.channel.last('participantUpdated')).toMatchObject({ handRaisedAt: null });
  });

  it('gives the floor to one student at a time, who may then unmute although students may not', async () => {
    const { classroom, tabs } = await fakeLesson(['ada', 'ben']);
    await classroom.applySettings({ studentPermissions: { unmute: false } });
    const [ada, ben] = [tabs.ada!, tabs.ben!];
    const group = classroom.groups.main;
    group.hands.raise(ada.participant);
    await classroom.interaction.moderation.giveFloor(group, ada.participant.id);
    expect(classroom.permissionsFor(ada.participant).has(Permission.UNMUTE)).toBe(true);
    expect(ada.channel.last('permissionsChanged')).toMatchObject({ unmute: true });
    expect(group.hands.queue()).toEqual([]);
    await classroom.interaction.moderation.giveFloor(group, ben.participant.id);
    expect(classroom.permissionsFor(ada.participant).has(Permission.UNMUTE)).toBe(false);
    expect(ada.channel.last('permissionsChanged')).toMatchObject({ unmute: false });
    expect(classroom.views.info(ben.participant).hasFloor).toBe(true);
  });
});

describe('moderation (rules)', () => {
  it('removes every tab of a student, keeps them out, and gives a guest link a new password when asked', async () => {
    const { classroom, joins, records } = await fakeLesson();
    const first = await joins('Ada', 'student', 'student:ada');
    const second = await joins('Ada', 'student', 'student:ada');
    await classroom.interaction.moderation.remove(first.participant.id);
    for (const tab of [first, second]) {
      expect(tab.channel.last('removed')).toBeDefined();
      expect(tab.participant.state).toBe('removed');
      expect(tab.channel.disconnected).toBe('removed');
    }
    const guest = await joins('Gast', 'guest');
    await classroom.membership.lobby.admit(guest.participant.id);
    expect(
      await classroom.interaction.moderation.remove(guest.participant.id, { changeGuestPassword: true }),
    ).toEqual({
      guestPassword: 'NewPass1Word',
    });
    expect(records.guestPasswords).toBe(1);
  });

  it('refuses to remove a teacher, and someone who is not there', async () => {
    const { classroom, teacher } = await fakeLesson();
    await expect(classroom.interaction.moderation.remove(teacher.participant.id)).rejects.toMatchObject({
      code: 'CANNOT_REMOVE_TEACHER',
    });
    await expect(classroom.interaction.moderation.remove('nobody')).rejects.toMatchObject({
      code: 'UNKNOWN_PARTICIPANT',
    });
  });

  it('takes new settings to every group at once', async () => {
    const { classroom, tabs } = await fakeLesson(['ada', 'ben']);
    await classroom.interaction.breakouts.open({ groups: 2, assignment: 'auto' });
    await classroom.applySettings({ studentPermissions: { chatPublic: false } });
    for (const tab of [tabs.ada!, tabs.ben!]) {
      expect(tab.channel.last('permissionsChanged')).toMatchObject({ chatPublic: false });
      expect(tab.channel.last('roomUpdated')).toBeDefined();
    }
  });
});

describe('polls (rules)', () => {
  const start = {
    question: 'Ready?',
    kind: 'yesNo' as const,
    anonymous: false,
    guestsMayAnswer: false,
  };

  it('counts one answer per person, stores each answer alone, and reaches students in every group', async () => {
    const { classroom, tabs, teacher, joins, records } = await fakeLesson(['ada', 'ben']);
    await classroom.interaction.breakouts.open({ groups: 2, assignment: 'auto' });
    const polls = classroom.interaction.polls;
    const pollId = polls.start(teacher.participant, { ...start, kind: 'single', options: ['x', 'y'] });
    expect(tabs.ada!.channel.last('poll:updated')).toMatchObject({ id: pollId, mine: null });
    polls.answer(tabs.ada!.participant, pollId, [0]);
    const secondTab = await joins('ada', 'student', 'student:ada');
    polls.answer(secondTab.participant, pollId, [1]);
    polls.answer(tabs.ben!.participant, pollId, [1]);
    expect(teacher.channel.last('poll:results')).toMatchObject({ answered: 2, counts: [0, 2] });
    expect(records.pollAnswers.map(({ answer }) => [answer.voter, answer.choices])).toEqual([
      ['student:ada', [0]],
      ['student:ada', [1]],
      ['student:ben', [1]],
    ]);
    expect(() => polls.answer(tabs.ben!.participant, pollId, [0, 1])).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });

  it('closes a timed poll by itself and refuses guests when the teacher said so', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { classroom, teacher, joins } = await fakeLesson();
    const guest = await joins('Visitor', 'guest');
    await classroom.membership.lobby.admit(guest.participant.id);
    const polls = classroom.interaction.polls;
    const pollId = polls.start(teacher.participant, { ...start, durationSeconds: 10 });
    expect(() => polls.answer(guest.participant, pollId, [0])).toThrow(
      expect.objectContaining({ code: 'POLL_NOT_FOR_GUESTS' }),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(teacher.channel.last('poll:updated')).toMatchObject({
      id: pollId,
      closed: true,
      options: ['yes', 'no', 'abstain'],
    });
  });

  it('keeps anonymous answers without names, and closes the poll with the lesson', async () => {
    const { classroom, tabs, teacher, records } = await fakeLesson(['cem']);
    const polls = classroom.interaction.polls;
    const pollId = polls.start(teacher.participant, { ...start, kind: 'scale', anonymous: true });
    polls.answer(tabs.cem!.participant, pollId, [4]);
    expect(records.pollAnswers[0]!.answer).not.toHaveProperty('name');
    expect(records.pollAnswers[0]!.answer.voter).not.toContain('cem');
    expect(teacher.channel.last('poll:results')).not.toHaveProperty('voters');
    await classroom.endLesson('teacher');
    expect(records.polls.get(pollId)?.closedAt).toBeInstanceOf(Date);
  });
});
