import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { MediaSetup, MediaSourceName, ParticipantInfo } from '@protocol';
import type { FrameEncryption } from '@/e2ee/frameEncryption';
import type { InboundStats } from '@/media/mediaStats';
import { RoomConnection } from '@/media/RoomConnection';
import { logWarning } from '@/shared/log';
import type { SignalingClient } from '@/signaling/SignalingClient';
import { useNoticesStore } from './notices';
import { useParticipantsStore } from './participants';

export interface RemoteMedia {
  camera?: MediaStreamTrack;
  mic?: MediaStreamTrack;
  screen?: MediaStreamTrack;
  screenAudio?: MediaStreamTrack;
}

export interface RemoteVoice {
  key: string;
  participantId: string;
  track: MediaStreamTrack;
}

/**
 * The lesson's media as the page shows it: the tracks others send us, and
 * whether our own microphone, camera and screen are on. The RoomConnection
 * underneath lives from connecting to leaving; the lesson starts it when it
 * enters a room and resets it when the lesson is over.
 */
export const useMediaStore = defineStore('media', () => {
  const notices = useNoticesStore();
  const participants = useParticipantsStore();
  // Tracks are browser objects: the map is replaced, never made deeply reactive.
  const remote = shallowRef(new Map<string, RemoteMedia>());
  /** On once the server took the source; off as soon as we stop it or the server does. */
  const local = ref({ mic: false, camera: false, screen: false });
  // A plain closure variable, never reactive: it holds the mediasoup Device, transports and consumers.
  let connection: RoomConnection | undefined;
  const consumerOwners = new Map<string, { participantId: string; source: MediaSourceName }>();

  const screenShare = computed(() => {
    for (const [participantId, tracks] of remote.value) {
      if (tracks.screen) return { participantId, track: tracks.screen };
    }
    return null;
  });

  /** Every remote voice plays, whether or not its tile is on screen. */
  const voices = computed<RemoteVoice[]>(() =>
    [...remote.value.entries()].flatMap(([participantId, tracks]) =>
      (['mic', 'screenAudio'] as const).flatMap((source) =>
        tracks[source] ? [{ key: `${participantId}:${source}`, participantId, track: tracks[source] }] : [],
      ),
    ),
  );

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

  function connected(): RoomConnection {
    if (!connection) throw new Error('not connected');
    return connection;
  }

  /** Opens the media connection over a signalling connection; the returned function closes it. */
  function listen(client: SignalingClient): () => void {
    const room = new RoomConnection(client);
    connection = room;
    room.on('trackAdded', (track) => {
      consumerOwners.set(track.consumerId, { participantId: track.participantId, source: track.source });
      setRemote(track.participantId, track.source, track.track);
    });
    room.on('trackRemoved', (consumerId) => {
      const owner = consumerOwners.get(consumerId);
      consumerOwners.delete(consumerId);
      if (owner) setRemote(owner.participantId, owner.source, undefined);
    });
    room.on('localSourceStopped', (source, reason) => {
      if (source === 'camera') local.value.camera = false;
      if (source === 'screen') local.value.screen = false;
      if (reason !== 'ended')
        notices.notify({ kind: 'warning', key: `notice.stopped.${source}`, urgent: true });
    });
    room.on('localSourceMuted', () => {
      local.value.mic = false;
      notices.notify({ kind: 'warning', key: 'notice.mutedByTeacher', urgent: true });
    });
    room.on('failed', (error) => {
      logWarning('start', 'media could not be set up again', {}, error);
      notices.notify({ kind: 'error', key: 'notice.mediaFailed' });
    });
    // Someone we may not hear or see: said, so that the person can reload instead of waiting.
    room.on('receiveFailed', ({ participantId }) => {
      const sender = participants.participants.find((p) => p.id === participantId);
      notices.notify({
        kind: 'warning',
        key: 'notice.receiveFailed',
        params: { name: sender?.displayName ?? '' },
      });
    });
    const offs = [
      client.on('participantLeft', ({ participantId }) => {
        if (!remote.value.has(participantId)) return;
        const next = new Map(remote.value);
        next.delete(participantId);
        remote.value = next;
      }),
      // The server's word on our own microphone: muted by a teacher, or live again after a reconnect.
      client.on('participantUpdated', (info) => {
        if (info.id === participants.self?.id)
          local.value.mic = Boolean(info.sources.mic && !info.sources.mic.paused);
      }),
    ];
    return () => {
      for (const off of offs) off();
      room.close();
      connection = undefined;
    };
  }

  /** The room we enter is end-to-end encrypted (its cipher) or not: set before start(). */
  function encryptWith(encryption: FrameEncryption | undefined): void {
    connection?.encryptWith(encryption);
  }

  /** Builds the media plane for the room we entered; a failure is shown, not thrown. */
  async function start(setup: MediaSetup): Promise<void> {
    try {
      await connected().start(setup);
    } catch (error) {
      // Said on the console too: a page that sends nothing after a move is someone nobody hears.
      logWarning('start', 'media could not be set up', {}, error);
      notices.notify({ kind: 'error', key: 'notice.mediaFailed' });
    }
  }

  /** Whether our transports survived a lost signalling connection, so the server may keep them too. */
  function canContinue(): boolean {
    return connection?.canContinue() ?? false;
  }

  /** Back on a new connection with our media kept: catch up with what changed meanwhile. */
  async function continueAfterReconnect(consumerIds: string[], self: ParticipantInfo): Promise<void> {
    await connection?.continueAfterReconnect(consumerIds, self);
  }

  /** The lesson is over for us: nothing comes in, nothing of ours is on. */
  function reset(): void {
    remote.value = new Map();
    consumerOwners.clear();
    local.value = { mic: false, camera: false, screen: false };
  }

  async function publishMic(track: MediaStreamTrack): Promise<boolean> {
    const ok = await notices.attempt(async () => {
      const media = connected();
      const wasPublishing = media.isPublishing('mic');
      await media.publish('mic', track);
      // A muted microphone keeps its producer: unmuting swaps the track and resumes it.
      if (wasPublishing) await media.setPaused('mic', false);
      return true;
    });
    local.value.mic = Boolean(ok);
    return Boolean(ok);
  }

  async function muteMic(): Promise<void> {
    local.value.mic = false;
    await notices.attempt(() => connected().setPaused('mic', true));
  }

  /** Sends a video source; the local state says on only once the server took it. */
  async function publishVideo(source: 'camera' | 'screen', track: MediaStreamTrack): Promise<boolean> {
    const ok = Boolean(
      await notices.attempt(async () => {
        await connected().publish(source, track);
        return true;
      }),
    );
    local.value[source] = ok;
    return ok;
  }

  async function stopVideo(source: 'camera' | 'screen'): Promise<void> {
    local.value[source] = false;
    await notices.attempt(() => connected().unpublish(source));
  }

  /** Tells the server which participants' video is on screen; the rest it pauses. */
  function showTiles(visible: string[], focus: string | null): void {
    void connection?.setVisibleTiles(visible, focus).catch(() => undefined);
  }

  function inboundStats(): Promise<InboundStats[]> {
    return connection ? connection.inboundStats() : Promise.resolve([]);
  }

  return {
    remote,
    local,
    screenShare,
    voices,
    listen,
    encryptWith,
    start,
    canContinue,
    continueAfterReconnect,
    reset,
    publishMic,
    muteMic,
    publishCamera: (track: MediaStreamTrack) => publishVideo('camera', track),
    stopCamera: () => stopVideo('camera'),
    publishScreen: (track: MediaStreamTrack) => publishVideo('screen', track),
    stopScreen: () => stopVideo('screen'),
    showTiles,
    inboundStats,
  };
});
