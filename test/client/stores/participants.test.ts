import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JoinResult, RequestName, RoomState, ServerEventName } from '@protocol';
import { useLessonStore } from '@/stores/lesson';
import { useParticipantsStore } from '@/stores/participants';
import { participant, roomWith } from '../support/classroomPage';
import { server } from '../support/fakeServer';

vi.mock('socket.io-client', async () => (await import('../support/fakeServer')).socketModule);

const self = participant('p-anna', 'Anna Weber');
const teacher = { ...participant('p-teacher', 'Frau Lehmann'), role: 'teacher' as const };

const room: RoomState = roomWith([teacher, self], {
  title: 'Biology live',
  lesson: { id: 'l1', startedAt: 0, locked: false },
});

function reply<N extends RequestName>(name: N, data: unknown) {
  server.replies.set(name, data);
}

function serverSends(event: ServerEventName, payload: unknown) {
  server.emit(event, payload);
}

/** Connects and joins as Anna; answers the participants store of her page. */
async function joinedStore() {
  const lesson = useLessonStore();
  const joined: JoinResult = {
    status: 'joined',
    self,
    resumeKey: 'resume-key',
    permissions: {
      unmute: true,
      camera: true,
      screenShare: false,
      chatPublic: true,
      chatPrivate: true,
      raiseHand: true,
      moderate: false,
      caption: false,
    },
    room: structuredClone(room),
    media: { routerRtpCapabilities: { codecs: [] }, iceServers: [] },
    chat: [],
  };
  reply('join', joined);
  const connecting = lesson.connect({
    token: 'token',
    expiresAt: Date.now() / 1000 + 3600,
    classroomId: 'c1',
    role: 'student',
    name: 'Anna Weber',
  });
  server.emit('connect');
  await connecting;
  await lesson.join();
  expect(lesson.phase).toBe('joined');
  return useParticipantsStore();
}

beforeEach(() => {
  server.reset();
  // The page info is read over HTTP; here there is no server, so the page goes without it.
  vi.stubGlobal('fetch', async () => {
    throw new TypeError('no network in this test');
  });
  setActivePinia(createPinia());
});

afterEach(() => {
  useLessonStore().leave();
  vi.unstubAllGlobals();
});

describe('the participant list', () => {
  it('ignores participantUpdated for someone not in the list, such as a participant still waiting', async () => {
    const store = await joinedStore();
    serverSends('participantUpdated', participant('p-waiting', 'Ben Schulz'));
    expect(store.participants.map((p) => p.id)).toEqual(['p-teacher', 'p-anna']);
  });

  it('updates a listed participant on participantUpdated', async () => {
    const store = await joinedStore();
    serverSends('participantUpdated', { ...teacher, handRaisedAt: 5 });
    expect(store.participants.find((p) => p.id === 'p-teacher')?.handRaisedAt).toBe(5);
  });

  it('adds a participant on participantJoined and drops them on participantLeft', async () => {
    const store = await joinedStore();
    serverSends('participantJoined', participant('p-ben', 'Ben Schulz'));
    expect(store.participants.map((p) => p.id)).toEqual(['p-teacher', 'p-anna', 'p-ben']);
    serverSends('participantLeft', { participantId: 'p-ben' });
    serverSends('participantUpdated', participant('p-ben', 'Ben Schulz'));
    expect(store.participants.map((p) => p.id)).toEqual(['p-teacher', 'p-anna']);
  });
});
