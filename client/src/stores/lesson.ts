import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JoinResult, Permissions, RequestPayload, WaitingStatus } from '@protocol';
import { RequestError, SignalingClient, type ConnectionState } from '@/signaling/SignalingClient';
import {
  forgetResume,
  forgetSession,
  storedResume,
  storeResume,
  type JoinSession,
} from '@/storage/joinSession';
import { getClassroomPageInfo, type ClassroomPageInfo } from '@/api/classroomApi';
import { failureOf, type Failure } from '@/locales/errorText';
import { i18n } from '@/locales/i18n';
import { useAnnouncerStore } from './announcer';
import { useE2eeStore } from './e2ee';
import { useMediaStore } from './media';
import { useNoticesStore } from './notices';
import { useRoomStores } from './roomStores';
import { roomInfo, type Phase, type RoomInfo } from './lessonPhase';
import { useSignalingRequests } from './signalingRequests';
import { keepTokenFresh, sayGoodbyeOnPageHide } from './sessionKeeping';

/**
 * The lesson as this page takes part in it: the join session, the
 * signalling connection, where we are (pre-join, lobby, in the room, out of
 * it), the room's settings and what we may do. It owns the connection and hands it to the
 * feature stores, each following its own events; entering and leaving a room happen here.
 */
/** How long a leaving page waits for the server to hear `leave` before it closes the connection anyway. */
const LEAVE_ANSWER_WAIT_MS = 2_000;

export const useLessonStore = defineStore('lesson', () => {
  const notices = useNoticesStore();
  const media = useMediaStore();
  const announcer = useAnnouncerStore();
  const e2ee = useE2eeStore();
  const roomStores = useRoomStores();
  const { attach, request, act } = useSignalingRequests();

  const session = ref<JoinSession | null>(null);
  const phase = ref<Phase>('connecting');
  const failure = ref<Failure | null>(null);
  /** The class, its lesson and whether we may take part, as the page reads them before joining. */
  const pageInfo = ref<ClassroomPageInfo | null>(null);
  const connectionState = ref<ConnectionState>('connecting');
  /** While in the waiting room: why, our place in the queue, and whether every seat is taken. */
  const waiting = ref<WaitingStatus | null>(null);
  /** "Join again" after the lesson ended is on its way. */
  const rejoining = ref(false);
  const classroomTitle = ref('');
  const room = ref<RoomInfo | null>(null);
  const permissions = ref<Permissions | null>(null);
  // A plain closure variable, never reactive: a socket is no state to render.
  let signaling: SignalingClient | undefined;
  /** A rejoin waiting for the database; a page that leaves meanwhile does not come back. */
  let rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  const cleanups: Array<() => void> = [];

  const isTeacher = computed(() => session.value?.role === 'teacher');

  // The school switched Aula off: whatever was refused, the page says so as a whole.
  notices.takeRefusals(takeRefusal);

  async function connect(joinSession: JoinSession): Promise<void> {
    session.value = joinSession;
    phase.value = 'connecting';
    const client = new SignalingClient(window.location.origin, joinSession.token, joinSession.classroomId);
    signaling = client;
    cleanups.push(
      attach(client),
      client.onStateChange((state) => {
        if (state === 'reconnecting' && connectionState.value !== 'reconnecting')
          announcer.announce({ kind: 'notice', text: i18n.global.t('classroom.reconnecting'), urgent: true });
        connectionState.value = state;
      }),
    );
    // Read while the socket connects; the page works without it (only less is shown before joining).
    let infoRefusal: unknown;
    const info = getClassroomPageInfo(joinSession.classroomId, joinSession.token).catch((error: unknown) => {
      infoRefusal = error;
      return null;
    });
    try {
      await client.connected();
    } catch (error) {
      fail(error);
      return;
    }
    pageInfo.value = await info;
    if (failureOf(infoRefusal).code === 'SWITCHED_OFF') {
      client.close();
      switchedOff();
      return;
    }
    if (pageInfo.value) classroomTitle.value = pageInfo.value.classroom.title;
    connectionState.value = 'connected';
    cleanups.push(
      media.listen(client),
      e2ee.listen(client),
      listen(client),
      ...roomStores.listen(client),
      keepTokenFresh(client, session, switchedOff),
      sayGoodbyeOnPageHide(client, session, () => phase.value === 'joined' || phase.value === 'lobby'),
    );
    // Removed from the running lesson: said now, before any device check.
    phase.value = pageInfo.value?.me.removed ? 'removed' : 'prejoin';
  }

  function fail(error: unknown): void {
    if (failureOf(error).code === 'SWITCHED_OFF') {
      switchedOff();
      return;
    }
    failure.value =
      error instanceof RequestError ? { code: error.code, details: error.error.details } : { code: 'ERROR' };
    if (failure.value.code === 'TOKEN_EXPIRED' || failure.value.code === 'TOKEN_INVALID') {
      if (session.value) forgetSession(session.value.classroomId);
    }
    phase.value = 'failed';
  }

  function listen(client: SignalingClient): () => void {
    const offs = [
      client.on('roomUpdated', (state) => (room.value = roomInfo(state))),
      client.on('permissionsChanged', (granted) => (permissions.value = granted)),
      client.on('lobby:admitted', (result) => void enter(result)),
      client.on('lesson:started', (result) => void enter(result)),
      client.on('lobby:denied', () => (phase.value = 'denied')),
      client.on('lobby:status', (status) => (waiting.value = status)),
      client.on('lesson:ended', ({ reason }) => {
        clearRoom();
        // The next lesson is a new one: this page joins it only when the person chooses to.
        if (session.value) forgetResume(session.value.classroomId);
        if (reason === 'admin') switchedOff();
        else phase.value = 'ended';
        announcer.announce({ kind: 'lessonEnded' });
      }),
      // Breakout rooms: another room of the class, entered as after a join.
      client.on('breakout:moved', ({ result }) => void enter(result)),
      client.on('removed', () => {
        clearRoom();
        phase.value = 'removed';
        announcer.announce({ kind: 'removed' });
        if (session.value) forgetSession(session.value.classroomId);
      }),
      client.onReconnected(() => {
        // A new socket: continue as the participant we were, or join again where we were.
        if (phase.value === 'joined' || phase.value === 'lobby') void rejoin();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  async function enter(result: JoinResult): Promise<void> {
    if (result.status === 'lobby') {
      waiting.value = { reason: result.reason, position: result.position, full: result.full };
      classroomTitle.value = result.classroomTitle;
      phase.value = 'lobby';
      return;
    }
    if (session.value) {
      storeResume(session.value.classroomId, { participantId: result.self.id, key: result.resumeKey });
    }
    permissions.value = result.permissions;
    room.value = roomInfo(result.room);
    classroomTitle.value = result.room.title;
    await roomStores.enter(result);
    // The waiting page keeps saying why we waited until the room shows.
    waiting.value = null;
    phase.value = 'joined';
    roomStores.shown();
  }

  /** What to send with `join`: who we were in this lesson, if anyone, and whether our media lives. */
  function joinRequest(): RequestPayload<'join'> {
    const ticket = session.value ? storedResume(session.value.classroomId) : undefined;
    return ticket ? { resume: { ...ticket, keepMedia: media.canContinue() } } : {};
  }

  async function join(): Promise<void> {
    phase.value = 'joining';
    try {
      await enter(await request('join', joinRequest()));
    } catch (error) {
      refused(error, 'prejoin');
    }
  }

  /** After the lesson ended: into the next one (or its waiting room), from the page that stayed open. */
  async function joinAgain(): Promise<void> {
    if (session.value) forgetResume(session.value.classroomId);
    rejoining.value = true;
    try {
      await enter(await request('join', {}));
    } catch (error) {
      refused(error, 'ended');
    } finally {
      rejoining.value = false;
    }
  }

  /**
   * Back after a lost connection or a server restart: the page stays where it
   * was (no pre-join, nothing switched off) while the server takes us back.
   */
  async function rejoin(): Promise<void> {
    try {
      await enter(await request('join', joinRequest()));
    } catch (error) {
      if (error instanceof RequestError && error.code === 'DATABASE_UNAVAILABLE') {
        // Aula is back but its database not yet: try again in a moment, the lesson is still ours.
        const seconds = Number(error.error.details?.retryAfterSeconds ?? 3);
        rejoinTimer = setTimeout(() => void rejoin(), seconds * 1000);
        return;
      }
      refused(error, 'prejoin');
    }
  }

  function refused(error: unknown, fallback: Phase): void {
    if (error instanceof RequestError && error.code === 'ROOM_FULL') {
      clearRoom();
      phase.value = fallback;
      notices.notify({ kind: 'warning', key: 'notice.full' });
      return;
    }
    if (error instanceof RequestError && error.code === 'REMOVED') {
      clearRoom();
      phase.value = 'removed';
      return;
    }
    fail(error);
  }

  /** Out of the room (the lesson ended, we were removed, or we left): nothing of it stays. */
  function clearRoom(): void {
    room.value = null;
    waiting.value = null;
    roomStores.reset();
  }

  /** A refusal from anywhere (an API call of a panel): answers whether it changed the whole page. */
  function takeRefusal(error: unknown): boolean {
    if (failureOf(error).code !== 'SWITCHED_OFF') return false;
    switchedOff();
    return true;
  }

  /** Aula is switched off for the school: out of the room, nothing to join until it is on again. */
  function switchedOff(): void {
    clearRoom();
    phase.value = 'switchedOff';
  }

  /** The page goes away (leave pressed, tab closed): out of the lesson at once, the seat free. */
  function leave(): void {
    if (session.value) forgetResume(session.value.classroomId);
    const client = signaling;
    const said =
      phase.value === 'joined' || phase.value === 'lobby'
        ? client?.request('leave').catch(() => undefined)
        : undefined;
    clearTimeout(rejoinTimer);
    for (const cleanup of cleanups.splice(0)) cleanup();
    signaling = undefined;
    clearRoom();
    announcer.clear();
    // Closed once the server answered: socket.io drops a request it hands over after the close that
    // followed it, and the others would see us as reconnecting for the grace period.
    const answerWait = new Promise((resolve) => setTimeout(resolve, LEAVE_ANSWER_WAIT_MS));
    void Promise.race([said, answerWait]).then(() => client?.close());
  }

  return {
    session,
    phase,
    failure,
    pageInfo,
    connectionState,
    waiting,
    rejoining,
    classroomTitle,
    room,
    permissions,
    isTeacher,
    connect,
    join,
    joinAgain,
    leave,
    takeRefusal,
    startLesson: () => act('lesson:start'),
    endLesson: () => act('lesson:end'),
    lock: (locked: boolean) => act('mod:lock', { locked }),
    updateSettings: (settings: RequestPayload<'mod:settings'>) => act('mod:settings', settings),
  };
});
