import type { MediaSourceName } from '@protocol';

/** A track another participant sends us, as one consumer receives it. */
export interface RemoteTrack {
  consumerId: string;
  participantId: string;
  source: MediaSourceName;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  /** The sender muted this source (its producer is paused). */
  producerPaused: boolean;
}

/** What a lesson's media tells the page; each layer emits its own part. */
export interface RoomConnectionEvents {
  trackAdded: (track: RemoteTrack) => void;
  trackRemoved: (consumerId: string) => void;
  /** A track the server offered could not be received or resumed: someone may stay unheard or unseen. */
  receiveFailed: (failure: { participantId: string; source: MediaSourceName; error: unknown }) => void;
  /** The server stopped or muted one of our sources (moderator, permission change). */
  localSourceStopped: (source: MediaSourceName, reason: string) => void;
  localSourceMuted: (source: MediaSourceName) => void;
  transportState: (direction: 'send' | 'recv', state: RTCPeerConnectionState) => void;
  /** Rebuilding the media plane failed; the page should offer to reload. */
  failed: (error: unknown) => void;
}

/** A local track being sent, as a rebuild sends it again. */
export interface LocalSource {
  source: MediaSourceName;
  track: MediaStreamTrack;
  paused: boolean;
}

type Listener = (...args: never[]) => void;

/** Typed events of one object: `on` answers the function that stops listening. */
export class Emitter<Events extends { [E in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      (listener as (...values: Parameters<Events[E]>) => void)(...args);
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** The one emitter a lesson's media layers share. */
export type MediaEvents = Emitter<RoomConnectionEvents>;
