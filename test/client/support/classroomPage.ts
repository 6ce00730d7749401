import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Component } from 'vue';
import type { ChatMessage, JoinResult, ParticipantInfo, Permissions, RoomState } from '@protocol';
import { i18n, type Locale } from '@/locales/i18n';
import { SignalingClient } from '@/signaling/SignalingClient';
import { useLessonStore } from '@/stores/lesson';
import { useMediaStore } from '@/stores/media';
import { useParticipantsStore } from '@/stores/participants';
import { server } from './fakeServer';

export const participant = (
  id: string,
  displayName: string,
  extra: Partial<ParticipantInfo> = {},
): ParticipantInfo => ({
  id,
  displayName,
  role: 'student',
  handRaisedAt: null,
  hasFloor: false,
  away: false,
  sources: {},
  ...extra,
});

export const studentPermissions: Permissions = {
  unmute: true,
  camera: true,
  screenShare: false,
  chatPublic: true,
  chatPrivate: false,
  raiseHand: true,
  moderate: false,
  caption: false,
};

export const teacherPermissions: Permissions = {
  unmute: true,
  camera: true,
  screenShare: true,
  chatPublic: true,
  chatPrivate: true,
  raiseHand: true,
  moderate: true,
  caption: true,
};

export function roomWith(people: ParticipantInfo[], extra: Partial<RoomState> = {}): RoomState {
  return {
    classroomId: 'c1',
    title: 'Biology 9b',
    lesson: { id: 'l1', startedAt: Date.now() - 60_000, locked: false },
    lectureMode: false,
    lobbyEnabled: true,
    endToEndEncryption: false,
    seatCap: 25,
    spotlightId: null,
    pinnedId: null,
    activeSpeakerId: null,
    participants: people,
    handQueue: [],
    lobby: [],
    seats: { cap: 25, taken: people.filter((p) => p.role !== 'teacher').length },
    autoAdmit: false,
    poll: null,
    pollResults: null,
    recording: { available: false, active: false, startedAt: null, mine: null, textVersion: 'v1' },
    ...extra,
  };
}

/**
 * The stores of a page already in the lesson, without a connection: who we
 * are, the room and our permissions, set as the server would have.
 */
export function inLesson(options: {
  self: ParticipantInfo;
  room: RoomState;
  permissions?: Permissions;
  locale?: Locale;
}): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  i18n.global.locale.value = options.locale ?? 'en';
  const lesson = useLessonStore();
  lesson.session = {
    token: 'token',
    expiresAt: Date.now() / 1000 + 3600,
    classroomId: options.room.classroomId,
    role: options.self.role,
    name: options.self.displayName,
  };
  lesson.permissions =
    options.permissions ?? (options.self.role === 'teacher' ? teacherPermissions : studentPermissions);
  lesson.phase = 'joined';
  useParticipantsStore().enter(options.room, options.self);
  return pinia;
}

/**
 * For test files that use connectedPage(): each test starts on a fresh fake
 * server and storage, and leaves no page, dialog, stub or spy behind.
 */
export function freshPageEachTest(): void {
  beforeEach(() => {
    server.reset();
    sessionStorage.clear();
  });
  afterEach(() => {
    useLessonStore().leave();
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}

/** What the server answers a join into a room: who we are, the room, what we may do. */
export function joinedResult(options: {
  self: ParticipantInfo;
  room: RoomState;
  permissions?: Permissions;
  chat?: ChatMessage[];
  resumeKey?: string;
}): Extract<JoinResult, { status: 'joined' }> {
  return {
    status: 'joined',
    self: options.self,
    resumeKey: options.resumeKey ?? `key-${options.self.id}`,
    permissions:
      options.permissions ?? (options.self.role === 'teacher' ? teacherPermissions : studentPermissions),
    room: structuredClone(options.room),
    media: { routerRtpCapabilities: { codecs: [] }, iceServers: [] },
    chat: options.chat ?? [],
  };
}

/** What the server answers a join that waits: before the lesson, or in the waiting room at a place. */
export function waitingResult(
  self: ParticipantInfo,
  status: { reason?: 'not-started' | 'waiting-room'; position?: number; full?: boolean } = {},
): Extract<JoinResult, { status: 'lobby' }> {
  return {
    status: 'lobby',
    self,
    classroomTitle: 'Biology 9b',
    reason: status.reason ?? 'not-started',
    position: status.position ?? 1,
    full: status.full ?? false,
  };
}

/**
 * A page connected to the fake server and in the lesson, as after pressing
 * Join: requests the page makes reach `server.requests`, events the test
 * sends with `server.emit` reach the stores. The test file mocks
 * socket.io-client with the fake server. Media is not built (happy-dom has
 * no WebRTC): `useMediaStore().start` is a spy.
 */
export async function connectedPage(options: {
  self: ParticipantInfo;
  room: RoomState;
  permissions?: Permissions;
  locale?: Locale;
  /** Answers the page's HTTP calls; by default the network is unreachable. */
  fetch?: typeof fetch;
  /** The server's answer to the join, when it is not the room (the waiting room). */
  join?: JoinResult;
}): Promise<Pinia> {
  const pinia = createPinia();
  setActivePinia(pinia);
  i18n.global.locale.value = options.locale ?? 'en';
  vi.stubGlobal(
    'fetch',
    options.fetch ??
      (async () => {
        throw new TypeError('no network in this test');
      }),
  );
  vi.spyOn(useMediaStore(), 'start').mockResolvedValue(undefined);
  server.replies.set('join', options.join ?? joinedResult(options));
  // Every joined page opens the class's board: an empty one nobody else draws on.
  server.replies.set('board:state', {
    stage: { mode: 'cameras', deck: null, page: 1, boardPage: 'b:1' },
    drawing: { mode: 'teachers', chosen: [] },
  });
  server.replies.set('collab:open', { access: 'read', messages: [], awareness: null });
  const lesson = useLessonStore();
  const connecting = lesson.connect({
    token: 'token',
    expiresAt: Date.now() / 1000 + 3600,
    classroomId: options.room.classroomId,
    role: options.self.role,
    name: options.self.displayName,
  });
  server.emit('connect');
  await connecting;
  await lesson.join();
  return pinia;
}

export function mountIn<T extends Component>(
  pinia: Pinia,
  component: T,
  options: ComponentMountingOptions<T> = {},
) {
  return mount(component, {
    attachTo: document.body,
    ...options,
    global: { plugins: [pinia, i18n], ...(options.global ?? {}) },
  } as ComponentMountingOptions<T>);
}

/** A real SignalingClient, connected to the fake server (the test file mocks socket.io-client with it). */
export function connectedClient(): SignalingClient {
  const client = new SignalingClient('http://aula.test', 'token');
  server.emit('connect');
  return client;
}
