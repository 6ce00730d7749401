import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { storedResume } from '@/storage/joinSession';
import { useBreakoutsStore } from '@/stores/breakouts';
import { useChatStore } from '@/stores/chat';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useNoticesStore } from '@/stores/notices';
import { useParticipantsStore } from '@/stores/participants';
import { usePollsStore } from '@/stores/polls';
import {
  connectedPage,
  freshPageEachTest,
  joinedResult,
  participant,
  roomWith,
  waitingResult,
} from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const anna = participant('p-anna', 'Anna Weber');
const teacher = participant('p-teacher', 'Frau Berg', { role: 'teacher' });

freshPageEachTest();

describe('the waiting room', () => {
  it('tells a waiting student their place and, when every seat is taken, that they get in when one frees', async () => {
    const lobby = waitingResult(anna, { reason: 'waiting-room', position: 2 });
    await connectedPage({ self: anna, room: roomWith([teacher]), join: lobby });
    const lesson = useLessonStore();
    expect(lesson.phase).toBe('lobby');
    expect(lesson.waiting).toEqual({ reason: 'waiting-room', position: 2, full: false });

    server.emit('lobby:status', { reason: 'waiting-room', position: 1, full: true });
    expect(lesson.waiting).toEqual({ reason: 'waiting-room', position: 1, full: true });
  });
});

describe('the end of a lesson', () => {
  it('stays ended until the person joins again, and then joins as someone new', async () => {
    await connectedPage({ self: anna, room: roomWith([teacher, anna]) });
    const lesson = useLessonStore();
    expect(storedResume('c1')).toEqual({ participantId: 'p-anna', key: 'key-p-anna' });

    server.emit('lesson:ended', { reason: 'teacher' });
    expect(lesson.phase).toBe('ended');
    expect(useParticipantsStore().participants).toEqual([]);
    // Nothing takes the page into the next lesson by itself.
    expect(storedResume('c1')).toBeUndefined();
    server.requests.length = 0;

    server.replies.set('join', waitingResult(anna));
    await lesson.joinAgain();
    expect(server.sent('join')).toEqual([{}]);
    expect(lesson.phase).toBe('lobby');
    expect(lesson.waiting?.reason).toBe('not-started');
  });

  it('says Aula was switched off for the school when the admin ended the lesson', async () => {
    await connectedPage({ self: anna, room: roomWith([teacher, anna]) });
    server.emit('lesson:ended', { reason: 'admin' });
    expect(useLessonStore().phase).toBe('switchedOff');
  });

  it('turns any SWITCHED_OFF refusal into the switched-off page instead of a notice', async () => {
    await connectedPage({ self: anna, room: roomWith([teacher, anna]) });
    server.refusals.set('hand:raise', { status: 403, code: 'SWITCHED_OFF', message: 'switched off' });
    await useParticipantsStore().raiseHand();
    expect(useLessonStore().phase).toBe('switchedOff');
    expect(useNoticesStore().notices).toEqual([]);
  });

  it('opens on the switched-off page, without a device check, when the classroom API refuses it so', async () => {
    setActivePinia(createPinia());
    const refusal = { error: { status: 403, code: 'SWITCHED_OFF', message: 'switched off' } };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(refusal), { status: 403 }));
    const lesson = useLessonStore();
    const connecting = lesson.connect({
      token: 'token',
      expiresAt: Date.now() / 1000 + 3600,
      classroomId: 'c1',
      role: 'teacher',
      name: 'Frau Berg',
    });
    server.emit('connect');
    await connecting;
    expect(lesson.phase).toBe('switchedOff');
  });
});

describe('moving between breakout rooms', () => {
  it('enters the new room as after a join: people, chat, poll and media rebuilt, the new resume key kept', async () => {
    const ben = participant('p-ben', 'Ben Schulz');
    await connectedPage({
      self: anna,
      room: roomWith([teacher, anna, ben], {
        poll: {
          id: 'poll-1',
          question: 'Main room poll',
          kind: 'yesNo',
          options: ['yes', 'no', 'abstain'],
          anonymous: true,
          guestsMayAnswer: true,
          startedAt: 0,
          endsAt: null,
          closed: false,
          shared: false,
          mine: null,
        },
      }),
    });
    const start = vi.mocked(useMediaStore().start);
    start.mockClear();
    const annaInGroup = participant('p-anna-2', 'Anna Weber');
    const clara = participant('p-clara', 'Clara Neu');
    const result = joinedResult({
      self: annaInGroup,
      room: roomWith([annaInGroup, clara]),
      chat: [
        { id: 'm1', from: { id: 'p-clara', displayName: 'Clara Neu' }, text: 'Hallo Gruppe', sentAt: 1 },
      ],
      resumeKey: 'group-key',
    });
    server.emit('breakout:moved', { group: { id: 'g1', name: 'Rot' }, result });
    await vi.waitFor(() => expect(start).toHaveBeenCalledWith(result.media));

    const people = useParticipantsStore();
    expect(people.self?.id).toBe('p-anna-2');
    expect(people.participants.map((p) => p.displayName)).toEqual(['Anna Weber', 'Clara Neu']);
    expect(useChatStore().messages.map((m) => m.text)).toEqual(['Hallo Gruppe']);
    expect(usePollsStore().poll).toBeNull();
    expect(useBreakoutsStore().group).toEqual({ id: 'g1', name: 'Rot' });
    expect(storedResume('c1')).toEqual({ participantId: 'p-anna-2', key: 'group-key' });
    expect(useLessonStore().phase).toBe('joined');
  });
});
