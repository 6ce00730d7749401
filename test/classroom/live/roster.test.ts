import { describe, expect, it } from 'vitest';
import { Members } from '../../../src/classroom/live/groups/Members.js';
import { Participant, type ParticipantChannel } from '../../../src/classroom/live/Participant.js';
import { Roster, type StateChange } from '../../../src/classroom/live/Roster.js';
import type { ServerEventName } from '../../../src/protocol/index.js';

/** A channel that records what the room sends, as a socket would receive it. */
class RecordingChannel implements ParticipantChannel {
  readonly received: Array<{ event: ServerEventName; payload: unknown }> = [];
  disconnected = false;
  emit(event: ServerEventName, payload: unknown): void {
    this.received.push({ event, payload });
  }
  disconnect(): void {
    this.disconnected = true;
  }
}

function participant(userKey: string, role: 'teacher' | 'student' = 'student') {
  const channel = new RecordingChannel();
  return {
    channel,
    participant: new Participant({ userKey, displayName: userKey, role, restricted: false }, channel),
  };
}

describe('roster', () => {
  it('moves participants only along allowed transitions and reports each move', () => {
    const roster = new Roster();
    const changes: StateChange[] = [];
    roster.observe((change) => changes.push(change));
    const { participant: anna } = participant('anna');
    roster.add(anna);
    expect(anna.state).toBe('connected');

    roster.transition(anna, 'lobby', 'waiting-room');
    expect(anna.lobbyReason).toBe('waiting-room');
    roster.transition(anna, 'joined');
    expect(anna.lobbyReason).toBeUndefined();
    expect(() => roster.transition(anna, 'joined')).toThrow(
      expect.objectContaining({ code: 'ALREADY_JOINED' }),
    );
    expect(() => roster.transition(anna, 'lobby', 'waiting-room')).toThrow();

    roster.transition(anna, 'removed');
    expect(() => roster.transition(anna, 'joined')).toThrow(expect.objectContaining({ code: 'WRONG_STATE' }));
    roster.transition(anna, 'left');
    expect(roster.get(anna.id)).toBeUndefined();
    expect(changes.map(({ from, to }) => `${from}>${to}`)).toEqual([
      'connected>lobby',
      'lobby>joined',
      'joined>removed',
      'removed>left',
    ]);
  });

  it('broadcasts only to joined members of a group, and to joined teachers, never to the waiting room', () => {
    const roster = new Roster();
    const members = new Members();
    const inLesson = participant('in', 'student');
    const waiting = participant('waiting', 'student');
    const teacher = participant('teacher', 'teacher');
    for (const { participant: p } of [inLesson, waiting, teacher]) roster.add(p);
    roster.transition(inLesson.participant, 'joined');
    roster.transition(teacher.participant, 'joined');
    roster.transition(waiting.participant, 'lobby', 'waiting-room');
    for (const { participant: p } of [inLesson, waiting, teacher]) members.add(p);

    members.broadcast('participantLeft', { participantId: 'x' }, inLesson.participant);
    roster.toTeachers('lobby:changed', { lobby: [], seats: { cap: 1, taken: 0 }, autoAdmit: false });
    expect(inLesson.channel.received.map((r) => r.event)).toEqual([]);
    expect(teacher.channel.received.map((r) => r.event)).toEqual(['participantLeft', 'lobby:changed']);
    expect(waiting.channel.received).toEqual([]);
  });

  it('finds a user in the lesson by any of their tabs, and refuses targets that are not joined', () => {
    const roster = new Roster();
    const first = participant('same');
    const second = participant('same');
    roster.add(first.participant);
    roster.add(second.participant);
    roster.transition(first.participant, 'joined');
    roster.transition(second.participant, 'lobby', 'not-started');
    expect(roster.tabsOf('same')).toHaveLength(2);
    expect(roster.otherTabInLesson(second.participant)).toBe(first.participant);
    expect(roster.otherTabInLesson(first.participant)).toBeUndefined();
    expect(roster.inLessonCount).toBe(1);
    expect(() => roster.target(second.participant.id)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_PARTICIPANT' }),
    );
  });
});
