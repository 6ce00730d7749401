// Every event the server sends to a page: facts, with a feature namespace where it helps.
import type { BoardEvents } from './board.js';
import type { CaptionsEvents } from './captions.js';
import type { CollabEvents } from './collab.js';
import type { E2eeEvents } from './e2ee.js';
import type { NotesEvents } from './notes.js';
import type { RecordingEvents } from './recording.js';
import type { MediaKind, MediaSetup, MediaSourceName, RtpParameters } from './media.js';
import type {
  BreakoutState,
  ChatMessage,
  JoinResult,
  LobbyEntry,
  ParticipantInfo,
  Permissions,
  PollResults,
  PollView,
  RoomState,
  SeatCount,
  WaitingStatus,
} from './views.js';

export interface ServerEvents
  extends CollabEvents, BoardEvents, NotesEvents, CaptionsEvents, E2eeEvents, RecordingEvents {
  participantJoined: ParticipantInfo;
  participantLeft: { participantId: string };
  participantUpdated: ParticipantInfo;
  roomUpdated: RoomState;
  permissionsChanged: Permissions;
  newConsumer: {
    consumerId: string;
    producerId: string;
    participantId: string;
    kind: MediaKind;
    source: MediaSourceName;
    rtpParameters: RtpParameters;
    producerPaused: boolean;
  };
  consumerClosed: { consumerId: string };
  consumerLayers: { consumerId: string; spatialLayer: number | null; temporalLayer: number | null };
  producerClosed: {
    producerId: string;
    source: MediaSourceName;
    reason: 'moderator' | 'permission' | 'server';
  };
  activeSpeaker: { participantId: string | null };
  /**
   * Dynacast: how many of this producer's simulcast layers, from the lowest,
   * anyone consumes now. The sender encodes those and pauses the rest; 0
   * means nobody watches. Camera capture follows: 427x240 unless a higher
   * layer is wanted.
   */
  consumedLayers: { producerId: string; spatialLayers: number };
  'chat:message': ChatMessage;
  'lobby:admitted': JoinResult;
  'lobby:denied': { reason: string };
  'lobby:changed': { lobby: LobbyEntry[]; seats: SeatCount; autoAdmit: boolean };
  /** To someone waiting: their place and whether the class is full, whenever it changes. */
  'lobby:status': WaitingStatus;
  'hand:called': { byName: string };
  'lesson:started': JoinResult;
  'lesson:ended': { reason: 'teacher' | 'idle' | 'admin' };
  'media:reconnect': MediaSetup;
  'mod:muted': { source: MediaSourceName };
  removed: { reason: string };
  'breakout:state': BreakoutState;
  /** This page now is in another room of the class: it enters it as after a join. */
  'breakout:moved': { group: { id: string; name: string } | null; result: JoinResult };
  /** To teachers: someone in a breakout room asks for help. */
  'breakout:help': { groupId: string; groupName: string; name: string };
  /** A teacher's message to every room. */
  'breakout:message': { text: string; from: string };
  'breakout:closing': { inSeconds: number };
  /** A poll started, closed or was shared (for each viewer, with their own answer). */
  'poll:updated': PollView;
  /** Live results, to teachers always and to everyone while shared. */
  'poll:results': PollResults;
  /**
   * The server is shutting down for a restart, or the classroom moves to another node: reconnect
   * (with `node` as the load balancer's routing hint, when given) and do not give up.
   */
  'server:restarting': { node?: string };
}

export type ServerEventName = keyof ServerEvents;
