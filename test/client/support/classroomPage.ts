import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Component } from 'vue';
import type { ParticipantInfo, Permissions, RoomState } from '@protocol';
import { i18n, type Locale } from '@/locales/i18n';
import { useLessonStore } from '@/stores/lesson';
import { useParticipantsStore } from '@/stores/participants';

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
};

export const teacherPermissions: Permissions = {
  unmute: true,
  camera: true,
  screenShare: true,
  chatPublic: true,
  chatPrivate: true,
  raiseHand: true,
  moderate: true,
};

export function roomWith(people: ParticipantInfo[], extra: Partial<RoomState> = {}): RoomState {
  return {
    classroomId: 'c1',
    title: 'Biology 9b',
    lesson: { id: 'l1', startedAt: Date.now() - 60_000, locked: false },
    lectureMode: false,
    lobbyEnabled: true,
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
