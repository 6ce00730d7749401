import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JoinResult, ParticipantInfo, RequestName, RoomState, ServerEventName } from '@protocol';
import { useLessonStore } from '@/stores/lesson';
import { useParticipantsStore } from '@/stores/participants';

/**
 * The socket.io connection, faked at its module: the store and its real
 * SignalingClient run unchanged, and the test plays the server.
 */
const server = vi.hoisted(() => {
  type Handler = (payload: unknown) => void;
  const handlers = new Map<string, Set<Handler>>();
  const replies = new Map<string, unknown>();
  const socket = {
    connected: false,
    auth: {},
    on(event: string, handler: Handler) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(handler);
      return socket;
    },
    once(event: string, handler: Handler) {
      const once = (payload: unknown) => {
        socket.off(event, once);
        handler(payload);
      };
      return socket.on(event, once);
    },
    off(event: string, handler: Handler) {
      handlers.get(event)?.delete(handler);
      return socket;
    },
    timeout: () => ({
      emitWithAck: async (name: string) =>
        replies.has(name)
          ? { ok: true, data: replies.get(name) }
          : { ok: false, error: { status: 501, code: 'NOT_FAKED', message: name } },
    }),
    close() {
      socket.connected = false;
    },
  };
  return {
    socket,
    replies,
    emit(event: string, payload?: unknown) {
      if (event === 'connect') socket.connected = true;
      for (const handler of [...(handlers.get(event) ?? [])]) handler(payload);
    },
    reset() {
      handlers.clear();
      replies.clear();
      socket.connected = false;
    },
  };
});

vi.mock('socket.io-client', () => ({ io: () => server.socket }));

const participant = (id: string, displayName: string): ParticipantInfo => ({
  id,
  displayName,
  role: 'student',
  handRaisedAt: null,
  hasFloor: false,
  away: false,
  sources: {},
});

const self = participant('p-anna', 'Anna Weber');
const teacher = { ...participant('p-teacher', 'Frau Lehmann'), role: 'teacher' as const };

const room: RoomState = {
  classroomId: 'c1',
  title: 'Biology live',
  lesson: { id: 'l1', startedAt: 0, locked: false },
  lectureMode: false,
  lobbyEnabled: true,
  seatCap: 25,
  spotlightId: null,
  pinnedId: null,
  activeSpeakerId: null,
  participants: [teacher, self],
  handQueue: [],
  lobby: [],
  seats: { cap: 25, taken: 1 },
  autoAdmit: false,
  poll: null,
  pollResults: null,
};

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
  setActivePinia(createPinia());
});

afterEach(() => {
  useLessonStore().leave();
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
