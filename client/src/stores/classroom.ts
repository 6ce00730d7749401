import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  ChatMessage,
  JoinResult,
  LobbyEntry,
  MediaSourceName,
  ParticipantInfo,
  Permissions,
  RequestName,
  RequestPayload,
  RequestResults,
  RoomState,
} from '@protocol';
import { forgetSession, storeSession, type JoinSession } from '@/storage/joinSession';
import { RoomConnection } from '@/media/RoomConnection';
import { RequestError, SignalingClient, type ConnectionState } from '@/signaling/SignalingClient';

export type Phase =
  'connecting' | 'prejoin' | 'joining' | 'lobby' | 'joined' | 'ended' | 'removed' | 'denied' | 'failed';

export interface RemoteMedia {
  camera?: MediaStreamTrack;
  mic?: MediaStreamTrack;
  screen?: MediaStreamTrack;
  screenAudio?: MediaStreamTrack;
}

export interface Notice {
  kind: 'info' | 'warning' | 'error';
  key: string;
  params?: Record<string, string | number>;
}

/** One quality grade per connection, from packet loss and jitter of what we receive. */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/**
 * The lesson as this page sees it: connection, membership, room state, chat
 * and media. Components read it and call its actions; only this store talks
 * to the signalling client and the media connection.
 */
export const useClassroomStore = defineStore('classroom', () => {
  const session = ref<JoinSession | null>(null);
  const phase = ref<Phase>('connecting');
  const failure = ref<{ code: string; message: string } | null>(null);
  const connectionState = ref<ConnectionState>('connecting');
  const lobbyReason = ref<'not-started' | 'waiting-room' | null>(null);
  const classroomTitle = ref('');
  const self = ref<ParticipantInfo | null>(null);
  const permissions = ref<Permissions | null>(null);
  const room = ref<RoomState | null>(null);
  const lobby = ref<LobbyEntry[]>([]);
  const chat = ref<ChatMessage[]>([]);
  const unread = ref(0);
  const chatOpen = ref(false);
  const remote = shallowRef(new Map<string, RemoteMedia>());
  const notices = ref<Notice[]>([]);
  const quality = ref<Quality>('unknown');
  const local = ref({ mic: false, camera: false, screen: false });
  /** Playback volume per participant, 0–1; only on this page. */
  const volumes = ref<Record<string, number>>({});

  let signaling: SignalingClient | undefined;
  let media: RoomConnection | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let qualityTimer: ReturnType<typeof setInterval> | undefined;
  const consumerOwners = new Map<string, { participantId: string; source: MediaSourceName }>();
  const cleanups: Array<() => void> = [];

  const isTeacher = computed(() => session.value?.role === 'teacher');
  const participants = computed(() => room.value?.participants ?? []);
  const others = computed(() => participants.value.filter((p) => p.id !== self.value?.id));
  // Derived, not kept: every participant update carries handRaisedAt, in the server's order.
  const handQueue = computed(() =>
    participants.value
      .filter((p) => p.handRaisedAt !== null)
      .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!),
  );
  const spotlightId = computed(() => room.value?.pinnedId ?? room.value?.spotlightId ?? null);
  const screenShare = computed(() => {
    for (const [participantId, tracks] of remote.value) {
      if (tracks.screen) return { participantId, track: tracks.screen };
    }
    return null;
  });

  function notify(notice: Notice): void {
    notices.value = [...notices.value.filter((n) => n.key !== notice.key), notice].slice(-4);
    setTimeout(() => dismiss(notice.key), 8_000);
  }

  function dismiss(key: string): void {
    notices.value = notices.value.filter((n) => n.key !== key);
  }

  function setRemote(participantId: string, source: MediaSourceName, track: MediaStreamTrack | undefined) {
    // A new Map each time: components receive it as a prop and compare by identity.
    const next = new Map(remote.value);
    const current = { ...(next.get(participantId) ?? {}) };
    if (track) current[source] = track;
    else delete current[source];
    if (Object.keys(current).length) next.set(participantId, current);
    else next.delete(participantId);
    remote.value = next;
  }

  /** Only participantJoined adds: an update for someone not listed (still waiting, already gone) is not news. */
  function upsertParticipant(info: ParticipantInfo, { add }: { add: boolean }): void {
    if (!room.value) return;
    const list = room.value.participants;
    const index = list.findIndex((p) => p.id === info.id);
    if (index >= 0) list[index] = info;
    else if (add) list.push(info);
    else return;
    if (info.id === self.value?.id) {
      self.value = info;
      local.value.mic = Boolean(info.sources.mic && !info.sources.mic.paused);
    }
  }

  async function request<N extends RequestName>(
    name: N,
    payload?: RequestPayload<N>,
  ): Promise<RequestResults[N]> {
    if (!signaling) throw new Error('not connected');
    return signaling.request(name, payload);
  }

  /** Runs a user action; a refusal becomes a visible notice instead of an unhandled error. */
  async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof RequestError ? error.code : 'ERROR';
      notify({ kind: 'error', key: `error.${code}`, params: { message } });
      return undefined;
    }
  }

  async function connect(joinSession: JoinSession): Promise<void> {
    session.value = joinSession;
    phase.value = 'connecting';
    signaling = new SignalingClient(window.location.origin, joinSession.token);
    cleanups.push(signaling.onStateChange((state) => (connectionState.value = state)));
    try {
      await signaling.connected();
    } catch (error) {
      fail(error);
      return;
    }
    connectionState.value = 'connected';
    listen(signaling);
    scheduleRefresh(joinSession.expiresAt);
    phase.value = 'prejoin';
  }

  function fail(error: unknown): void {
    failure.value =
      error instanceof RequestError
        ? { code: error.code, message: error.message }
        : { code: 'ERROR', message: error instanceof Error ? error.message : String(error) };
    if (failure.value.code === 'TOKEN_EXPIRED' || failure.value.code === 'TOKEN_INVALID') {
      if (session.value) forgetSession(session.value.classroomId);
    }
    phase.value = 'failed';
  }

  function listen(client: SignalingClient): void {
    media = new RoomConnection(client);
    media.on('trackAdded', (track) => {
      consumerOwners.set(track.consumerId, { participantId: track.participantId, source: track.source });
      setRemote(track.participantId, track.source, track.track);
    });
    media.on('trackRemoved', (consumerId) => {
      const owner = consumerOwners.get(consumerId);
      consumerOwners.delete(consumerId);
      if (owner) setRemote(owner.participantId, owner.source, undefined);
    });
    media.on('localSourceStopped', (source, reason) => {
      if (source === 'camera') local.value.camera = false;
      if (source === 'screen') local.value.screen = false;
      if (reason !== 'ended') notify({ kind: 'warning', key: `notice.stopped.${source}` });
    });
    media.on('localSourceMuted', () => {
      local.value.mic = false;
      notify({ kind: 'warning', key: 'notice.mutedByTeacher' });
    });
    media.on('failed', () => notify({ kind: 'error', key: 'notice.mediaFailed' }));

    const on = client.on.bind(client);
    cleanups.push(
      on('participantJoined', (info) => upsertParticipant(info, { add: true })),
      on('participantUpdated', (info) => upsertParticipant(info, { add: false })),
      on('participantLeft', ({ participantId }) => {
        if (!room.value) return;
        room.value.participants = room.value.participants.filter((p) => p.id !== participantId);
        const next = new Map(remote.value);
        next.delete(participantId);
        remote.value = next;
      }),
      on('roomUpdated', (state) => {
        room.value = state;
        lobby.value = state.lobby;
        const me = state.participants.find((p) => p.id === self.value?.id);
        if (me) self.value = me;
      }),
      on('permissionsChanged', (granted) => (permissions.value = granted)),
      on('activeSpeaker', ({ participantId }) => {
        if (room.value) room.value.activeSpeakerId = participantId;
      }),
      on('chat:message', (message) => {
        chat.value.push(message);
        if (message.from.id !== self.value?.id && (!chatOpen.value || document.hidden)) {
          unread.value += 1;
          notifyBrowser(message);
        }
      }),
      on('lobby:changed', ({ lobby: waiting }) => (lobby.value = waiting)),
      on('lobby:admitted', (result) => void enterResult(result)),
      on('lesson:started', (result) => void enterResult(result)),
      on('lobby:denied', () => (phase.value = 'denied')),
      on('lesson:ended', () => {
        resetLesson();
        phase.value = 'ended';
      }),
      on('hand:called', ({ byName }) =>
        notify({ kind: 'info', key: 'notice.called', params: { name: byName } }),
      ),
      on('removed', () => {
        resetLesson();
        phase.value = 'removed';
        if (session.value) forgetSession(session.value.classroomId);
      }),
      client.onReconnected(() => {
        // A new socket is a new participant on the server: join again where we were.
        if (phase.value === 'joined' || phase.value === 'lobby') void join();
      }),
    );
  }

  async function enterResult(result: JoinResult): Promise<void> {
    self.value = result.self;
    if (result.status === 'lobby') {
      lobbyReason.value = result.reason;
      classroomTitle.value = result.classroomTitle;
      phase.value = 'lobby';
      return;
    }
    permissions.value = result.permissions;
    room.value = result.room;
    lobby.value = result.room.lobby;
    classroomTitle.value = result.room.title;
    chat.value = result.chat;
    try {
      await media!.start(result.media);
    } catch {
      notify({ kind: 'error', key: 'notice.mediaFailed' });
    }
    phase.value = 'joined';
    startQualityWatch();
  }

  async function join(): Promise<void> {
    phase.value = 'joining';
    try {
      await enterResult(await request('join'));
    } catch (error) {
      if (error instanceof RequestError && error.code === 'ROOM_FULL') {
        phase.value = 'prejoin';
        notify({ kind: 'warning', key: 'notice.full' });
        return;
      }
      if (error instanceof RequestError && error.code === 'REMOVED') {
        phase.value = 'removed';
        return;
      }
      fail(error);
    }
  }

  function resetLesson(): void {
    room.value = null;
    remote.value = new Map();
    consumerOwners.clear();
    local.value = { mic: false, camera: false, screen: false };
    clearInterval(qualityTimer);
  }

  function scheduleRefresh(expiresAt: number): void {
    clearTimeout(refreshTimer);
    const inMs = Math.max(5_000, expiresAt * 1000 - Date.now() - 120_000);
    refreshTimer = setTimeout(() => void refreshToken(), inMs);
  }

  async function refreshToken(): Promise<void> {
    if (!signaling || !session.value) return;
    try {
      const { token, expiresAt } = await request('session:refresh');
      session.value = { ...session.value, token, expiresAt };
      signaling.setToken(token);
      storeSession(session.value);
      scheduleRefresh(expiresAt);
    } catch {
      scheduleRefresh(Date.now() / 1000 + 150);
    }
  }

  function notifyBrowser(message: ChatMessage): void {
    if (!document.hidden || typeof Notification === 'undefined' || Notification.permission !== 'granted')
      return;
    new Notification(message.from.displayName, { body: message.text.slice(0, 140), tag: 'aula-chat' });
  }

  function startQualityWatch(): void {
    clearInterval(qualityTimer);
    let previous = new Map<string, { received: number; lost: number }>();
    qualityTimer = setInterval(async () => {
      if (!media) return;
      const stats = await media.inboundStats().catch(() => []);
      let received = 0;
      let lost = 0;
      let jitter = 0;
      const next = new Map<string, { received: number; lost: number }>();
      for (const entry of stats) {
        const before = previous.get(entry.consumerId) ?? { received: 0, lost: 0 };
        received += entry.packetsReceived - before.received;
        lost += Math.max(0, entry.packetsLost - before.lost);
        jitter = Math.max(jitter, entry.jitter);
        next.set(entry.consumerId, { received: entry.packetsReceived, lost: entry.packetsLost });
      }
      previous = next;
      if (received + lost === 0) {
        quality.value = connectionState.value === 'connected' ? 'good' : 'poor';
        return;
      }
      const loss = lost / (received + lost);
      quality.value = loss > 0.08 || jitter > 0.1 ? 'poor' : loss > 0.02 || jitter > 0.05 ? 'fair' : 'good';
    }, 3_000);
  }

  // ---------------------------------------------------------------- local media

  async function publishMic(track: MediaStreamTrack): Promise<boolean> {
    const ok = await attempt(async () => {
      if (media!.isPublishing('mic')) {
        await media!.publish('mic', track);
        await media!.setPaused('mic', false);
      } else {
        await media!.publish('mic', track);
      }
      return true;
    });
    local.value.mic = Boolean(ok);
    return Boolean(ok);
  }

  async function muteMic(): Promise<void> {
    local.value.mic = false;
    await attempt(() => media!.setPaused('mic', true));
  }

  /** Sends a video source; the local state says on only once the server took it. */
  async function publishVideo(source: 'camera' | 'screen', track: MediaStreamTrack): Promise<boolean> {
    const ok = Boolean(
      await attempt(async () => {
        await media!.publish(source, track);
        return true;
      }),
    );
    local.value[source] = ok;
    return ok;
  }

  async function stopVideo(source: 'camera' | 'screen'): Promise<void> {
    local.value[source] = false;
    await attempt(() => media!.unpublish(source));
  }

  const publishCamera = (track: MediaStreamTrack) => publishVideo('camera', track);
  const stopCamera = () => stopVideo('camera');
  const publishScreen = (track: MediaStreamTrack) => publishVideo('screen', track);
  const stopScreen = () => stopVideo('screen');

  let visibleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Which tiles are on screen; debounced because paging and resizing come in bursts. */
  function showTiles(visible: string[], focus: string | null): void {
    clearTimeout(visibleTimer);
    visibleTimer = setTimeout(() => {
      if (phase.value === 'joined') void media?.setVisibleTiles(visible, focus).catch(() => undefined);
    }, 150);
  }

  // ------------------------------------------------------------------- actions

  const act = <N extends RequestName>(name: N, payload?: RequestPayload<N>) =>
    attempt(() => request(name, payload));

  async function sendChat(text: string, to?: string): Promise<boolean> {
    return Boolean(await act('chat:send', to ? { text, to } : { text }));
  }

  function openChat(open: boolean): void {
    chatOpen.value = open;
    if (open) unread.value = 0;
  }

  function leave(): void {
    clearTimeout(refreshTimer);
    clearInterval(qualityTimer);
    for (const cleanup of cleanups.splice(0)) cleanup();
    media?.close();
    signaling?.close();
    media = undefined;
    signaling = undefined;
    resetLesson();
  }

  async function mediaStats() {
    return media ? media.inboundStats() : [];
  }

  return {
    session,
    phase,
    failure,
    connectionState,
    lobbyReason,
    classroomTitle,
    self,
    permissions,
    room,
    lobby,
    chat,
    unread,
    chatOpen,
    remote,
    notices,
    quality,
    local,
    volumes,
    setVolume: (participantId: string, volume: number) => {
      volumes.value = { ...volumes.value, [participantId]: Math.min(1, Math.max(0, volume)) };
    },
    isTeacher,
    participants,
    others,
    handQueue,
    spotlightId,
    screenShare,
    connect,
    join,
    leave,
    dismiss,
    notify,
    publishMic,
    muteMic,
    publishCamera,
    stopCamera,
    publishScreen,
    stopScreen,
    showTiles,
    sendChat,
    openChat,
    mediaStats,
    raiseHand: () => act('hand:raise'),
    lowerHand: (participantId?: string) => act('hand:lower', participantId ? { participantId } : {}),
    startLesson: () => act('lesson:start'),
    endLesson: () => act('lesson:end'),
    admit: (participantId: string) => act('lobby:admit', { participantId }),
    admitAll: () => act('lobby:admitAll'),
    deny: (participantId: string) => act('lobby:deny', { participantId }),
    mute: (participantId: string, source: MediaSourceName) => act('mod:mute', { participantId, source }),
    muteAll: () => act('mod:muteAll'),
    remove: (participantId: string) => act('mod:remove', { participantId }),
    lock: (locked: boolean) => act('mod:lock', { locked }),
    pin: (participantId: string | null) => act('mod:pin', { participantId }),
    lowerAllHands: () => act('mod:lowerAllHands'),
    callNext: (count: number) => act('mod:callNext', { count }),
    giveFloor: (participantId: string | null) => act('mod:giveFloor', { participantId }),
    updateSettings: (settings: RequestPayload<'mod:settings'>) => act('mod:settings', settings),
  };
});

export type ClassroomStore = ReturnType<typeof useClassroomStore>;
