import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LobbyEntry, MediaSourceName, ParticipantInfo, RoomState, SeatCount } from '@protocol';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useAnnouncerStore } from './announcer';
import { useNoticesStore } from './notices';
import { useSignalingRequests } from './signalingRequests';

/** Who is in the room and who has the stage, as the server last said. */
type RoomPeople = Pick<RoomState, 'participants' | 'spotlightId' | 'pinnedId' | 'activeSpeakerId'>;

/**
 * Who is in the lesson and what a teacher can do about them: the participant
 * list, raised hands, the spotlight, the lobby, and the playback volume this
 * page gives each voice.
 */
export const useParticipantsStore = defineStore('participants', () => {
  const notices = useNoticesStore();
  const announcer = useAnnouncerStore();
  const { attach, act } = useSignalingRequests();
  /** Null outside a room: events about participants then change nothing. */
  const people = ref<RoomPeople | null>(null);
  const self = ref<ParticipantInfo | null>(null);
  const lobby = ref<LobbyEntry[]>([]);
  /** The lesson's seats (teachers need none) and whether waiting people come in as seats free. */
  const seats = ref<SeatCount | null>(null);
  const autoAdmit = ref(false);
  /** Playback volume per participant, 0–1; only on this page. */
  const volumes = ref<Record<string, number>>({});

  const participants = computed(() => people.value?.participants ?? []);
  const others = computed(() => participants.value.filter((p) => p.id !== self.value?.id));
  // Derived, not kept: every participant update carries handRaisedAt, in the server's order.
  const handQueue = computed(() =>
    participants.value
      .filter((p) => p.handRaisedAt !== null)
      .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!),
  );
  const pinnedId = computed(() => people.value?.pinnedId ?? null);
  const spotlightId = computed(() => people.value?.pinnedId ?? people.value?.spotlightId ?? null);
  const activeSpeakerId = computed(() => people.value?.activeSpeakerId ?? null);
  const freeSeats = computed(() => (seats.value ? Math.max(0, seats.value.cap - seats.value.taken) : null));

  /** The room we entered, with ourselves as the server admitted us. */
  function enter(room: RoomState, me: ParticipantInfo): void {
    self.value = me;
    takeRoom(room);
  }

  function takeRoom(room: RoomState): void {
    const { participants: list, spotlightId, pinnedId, activeSpeakerId } = room;
    people.value = { participants: list, spotlightId, pinnedId, activeSpeakerId };
    lobby.value = room.lobby;
    seats.value = room.seats;
    autoAdmit.value = room.autoAdmit;
    const me = list.find((p) => p.id === self.value?.id);
    if (me) self.value = me;
  }

  function reset(): void {
    people.value = null;
  }

  /** Only participantJoined adds: an update for someone not listed (still waiting, already gone) is not news. */
  function upsert(info: ParticipantInfo, { add }: { add: boolean }): void {
    if (!people.value) return;
    const list = people.value.participants;
    const index = list.findIndex((p) => p.id === info.id);
    const before = index >= 0 ? list[index] : undefined;
    if (index >= 0) list[index] = info;
    else if (add) list.push(info);
    else return;
    if (info.id === self.value?.id) {
      self.value = info;
      return;
    }
    if (!before) announcer.announce({ kind: 'joined', name: info.displayName });
    else if (!before.handRaisedAt && info.handRaisedAt)
      announcer.announce({ kind: 'hand', name: info.displayName });
  }

  function leaves(participantId: string): void {
    if (!people.value) return;
    const gone = people.value.participants.find((p) => p.id === participantId);
    people.value.participants = people.value.participants.filter((p) => p.id !== participantId);
    if (gone && gone.id !== self.value?.id) announcer.announce({ kind: 'left', name: gone.displayName });
  }

  /** The lobby as the server says it now; whoever is new in it is announced to the teacher. */
  function takeLobby(change: { lobby: LobbyEntry[]; seats: SeatCount; autoAdmit: boolean }): void {
    const known = new Set(lobby.value.map((entry) => entry.id));
    for (const entry of change.lobby)
      if (!known.has(entry.id)) announcer.announce({ kind: 'waiting', name: entry.displayName });
    lobby.value = change.lobby;
    seats.value = change.seats;
    autoAdmit.value = change.autoAdmit;
  }

  /** Follows the participant events of a connection; the returned function stops. */
  function listen(client: SignalingClient): () => void {
    const offs = [
      attach(client),
      client.on('participantJoined', (info) => upsert(info, { add: true })),
      client.on('participantUpdated', (info) => upsert(info, { add: false })),
      client.on('participantLeft', ({ participantId }) => leaves(participantId)),
      client.on('roomUpdated', takeRoom),
      client.on('activeSpeaker', ({ participantId }) => {
        if (people.value) people.value.activeSpeakerId = participantId;
      }),
      client.on('lobby:changed', takeLobby),
      client.on('hand:called', ({ byName }) =>
        notices.notify({ kind: 'info', key: 'notice.called', params: { name: byName }, urgent: true }),
      ),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Admits everyone waiting now while seats last; the teacher is told who still waits. */
  async function admitAll(): Promise<void> {
    const result = await act('lobby:admitAll');
    if (!result) return;
    if (result.waiting > 0)
      notices.notify({ kind: 'info', key: 'notice.admitAllWaiting', params: { ...result } });
  }

  async function setAutoAdmit(enabled: boolean): Promise<void> {
    if (await act('lobby:autoAdmit', { enabled })) autoAdmit.value = enabled;
  }

  /** Removes someone for the rest of the lesson; for a guest, answers the guest password when it was changed. */
  async function remove(
    participantId: string,
    options: { changeGuestPassword?: boolean } = {},
  ): Promise<{ guestPassword?: string } | undefined> {
    return act(
      'mod:remove',
      options.changeGuestPassword ? { participantId, changeGuestPassword: true } : { participantId },
    );
  }

  function setVolume(participantId: string, volume: number): void {
    volumes.value = { ...volumes.value, [participantId]: Math.min(1, Math.max(0, volume)) };
  }

  return {
    self,
    lobby,
    seats,
    freeSeats,
    autoAdmit,
    volumes,
    participants,
    others,
    handQueue,
    pinnedId,
    spotlightId,
    activeSpeakerId,
    enter,
    reset,
    listen,
    setVolume,
    raiseHand: () => act('hand:raise'),
    lowerHand: (participantId?: string) => act('hand:lower', participantId ? { participantId } : {}),
    /** Our own hand: raised when it is down, lowered when it is up. */
    toggleHand: () => (self.value?.handRaisedAt ? act('hand:lower', {}) : act('hand:raise')),
    lowerAllHands: () => act('mod:lowerAllHands'),
    callNext: (count: number) => act('mod:callNext', { count }),
    giveFloor: (participantId: string | null) => act('mod:giveFloor', { participantId }),
    admit: (participantId: string) => act('lobby:admit', { participantId }),
    admitAll,
    setAutoAdmit,
    deny: (participantId: string) => act('lobby:deny', { participantId }),
    mute: (participantId: string, source: MediaSourceName) => act('mod:mute', { participantId, source }),
    muteAll: () => act('mod:muteAll'),
    remove,
    pin: (participantId: string | null) => act('mod:pin', { participantId }),
  };
});
