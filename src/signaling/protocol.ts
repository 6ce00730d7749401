// The one signalling protocol between the classroom page and Aula, shared by
// server and client: every request with its payload schema and result type,
// every server event with its payload type. Requests are verbs, events facts.
import { z } from 'zod';

const id = z.string().min(1).max(128);
const mediaSource = z.enum(['mic', 'camera', 'screen', 'screenAudio']);
// mediasoup's own parameter objects are validated by mediasoup itself; here
// only their shape and size are bounded.
const mediasoupObject = z.record(z.string(), z.unknown());

export type MediaSourceName = z.infer<typeof mediaSource>;
export type Role = 'teacher' | 'student' | 'guest';

export const requestSchemas = {
  join: z.object({}).strict(),
  leave: z.object({}).strict(),
  'session:refresh': z.object({}).strict(),

  'media:capabilities': z
    .object({
      rtpCapabilities: z
        .object({
          codecs: z
            .array(
              z.looseObject({
                kind: z.enum(['audio', 'video']),
                mimeType: z.string().max(64),
                clockRate: z.number().int().positive(),
              }),
            )
            .max(64),
          headerExtensions: z
            .array(z.looseObject({ uri: z.string().max(256) }))
            .max(64)
            .optional(),
        })
        .loose(),
    })
    .strict(),
  createTransport: z
    .object({ direction: z.enum(['send', 'recv']), forceTcp: z.boolean().optional() })
    .strict(),
  connectTransport: z.object({ transportId: id, dtlsParameters: mediasoupObject }).strict(),
  restartIce: z.object({ transportId: id }).strict(),
  produce: z
    .object({
      transportId: id,
      kind: z.enum(['audio', 'video']),
      rtpParameters: mediasoupObject,
      source: mediaSource,
    })
    .strict(),
  closeProducer: z.object({ producerId: id }).strict(),
  pauseProducer: z.object({ producerId: id }).strict(),
  resumeProducer: z.object({ producerId: id }).strict(),
  resumeConsumer: z.object({ consumerId: id }).strict(),
  setVisibleTiles: z.object({ visible: z.array(id).max(50), focus: id.nullable().optional() }).strict(),

  'chat:send': z.object({ text: z.string().trim().min(1).max(2000), to: id.optional() }).strict(),
  'hand:raise': z.object({}).strict(),
  'hand:lower': z.object({ participantId: id.optional() }).strict(),

  'lesson:start': z.object({}).strict(),
  'lesson:end': z.object({}).strict(),
  'lobby:admit': z.object({ participantId: id }).strict(),
  'lobby:admitAll': z.object({}).strict(),
  'lobby:deny': z.object({ participantId: id }).strict(),
  'mod:mute': z.object({ participantId: id, source: mediaSource }).strict(),
  'mod:muteAll': z.object({}).strict(),
  'mod:remove': z.object({ participantId: id }).strict(),
  'mod:lock': z.object({ locked: z.boolean() }).strict(),
  'mod:pin': z.object({ participantId: id.nullable() }).strict(),
  'mod:lowerAllHands': z.object({}).strict(),
  'mod:callNext': z.object({ count: z.number().int().min(1).max(3) }).strict(),
  'mod:giveFloor': z.object({ participantId: id.nullable() }).strict(),
  'mod:settings': z
    .object({
      lectureMode: z.boolean().optional(),
      lobbyEnabled: z.boolean().optional(),
      studentPermissions: z
        .object({
          unmute: z.boolean(),
          camera: z.boolean(),
          screenShare: z.boolean(),
          chatPublic: z.boolean(),
          chatPrivate: z.boolean(),
        })
        .partial()
        .strict()
        .optional(),
    })
    .strict(),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export type Permissions = {
  unmute: boolean;
  camera: boolean;
  screenShare: boolean;
  chatPublic: boolean;
  chatPrivate: boolean;
  raiseHand: boolean;
  moderate: boolean;
};

export interface ParticipantInfo {
  id: string;
  displayName: string;
  role: Role;
  handRaisedAt: number | null;
  hasFloor: boolean;
  /** Sources this participant currently sends, and whether each is paused (muted). */
  sources: Partial<Record<MediaSourceName, { producerId: string; paused: boolean }>>;
}

export interface LobbyEntry {
  id: string;
  displayName: string;
  role: Role;
  waitingSince: number;
}

export interface ChatMessage {
  id: string;
  from: { id: string; displayName: string };
  /** Set for private messages: the recipient. */
  to?: { id: string; displayName: string };
  text: string;
  sentAt: number;
}

export interface RoomState {
  classroomId: string;
  title: string;
  lesson: { id: string; startedAt: number; locked: boolean } | null;
  lectureMode: boolean;
  lobbyEnabled: boolean;
  seatCap: number;
  spotlightId: string | null;
  pinnedId: string | null;
  activeSpeakerId: string | null;
  participants: ParticipantInfo[];
  handQueue: string[];
  /** Teachers only: who waits in the lobby. */
  lobby: LobbyEntry[];
}

export interface MediaSetup {
  routerRtpCapabilities: Record<string, unknown>;
  iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>;
}

export type JoinResult =
  | { status: 'lobby'; self: ParticipantInfo; reason: 'not-started' | 'waiting-room'; classroomTitle: string }
  | {
      status: 'joined';
      self: ParticipantInfo;
      permissions: Permissions;
      room: RoomState;
      media: MediaSetup;
      chat: ChatMessage[];
    };

export interface TransportInfo {
  id: string;
  iceParameters: Record<string, unknown>;
  iceCandidates: Record<string, unknown>[];
  dtlsParameters: Record<string, unknown>;
  sctpParameters?: Record<string, unknown>;
}

export interface RequestResults {
  join: JoinResult;
  leave: { left: true };
  'session:refresh': { token: string; expiresAt: number };
  'media:capabilities': { ok: true };
  createTransport: TransportInfo;
  connectTransport: { ok: true };
  restartIce: { iceParameters: Record<string, unknown> };
  produce: { producerId: string };
  closeProducer: { ok: true };
  pauseProducer: { ok: true };
  resumeProducer: { ok: true };
  resumeConsumer: { ok: true };
  setVisibleTiles: { ok: true };
  'chat:send': { message: ChatMessage };
  'hand:raise': { queue: string[] };
  'hand:lower': { queue: string[] };
  'lesson:start': { lessonId: string };
  'lesson:end': { ok: true };
  'lobby:admit': { ok: true };
  'lobby:admitAll': { admitted: number };
  'lobby:deny': { ok: true };
  'mod:mute': { ok: true };
  'mod:muteAll': { muted: number };
  'mod:remove': { ok: true };
  'mod:lock': { ok: true };
  'mod:pin': { ok: true };
  'mod:lowerAllHands': { ok: true };
  'mod:callNext': { called: string[] };
  'mod:giveFloor': { ok: true };
  'mod:settings': { ok: true };
}

export interface ProtocolError {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Every acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export interface ServerEvents {
  participantJoined: ParticipantInfo;
  participantLeft: { participantId: string };
  participantUpdated: ParticipantInfo;
  roomUpdated: RoomState;
  permissionsChanged: Permissions;
  newConsumer: {
    consumerId: string;
    producerId: string;
    participantId: string;
    kind: 'audio' | 'video';
    source: MediaSourceName;
    rtpParameters: Record<string, unknown>;
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
  'chat:message': ChatMessage;
  'lobby:admitted': JoinResult;
  'lobby:denied': { reason: string };
  'lobby:changed': { lobby: LobbyEntry[] };
  'hand:called': { byName: string };
  'lesson:started': JoinResult;
  'lesson:ended': { reason: 'teacher' | 'idle' | 'admin' };
  'media:reconnect': MediaSetup;
  'mod:muted': { source: MediaSourceName };
  removed: { reason: string };
  'session:expiring': { inSeconds: number };
}

export type ServerEventName = keyof ServerEvents;

/** Largest request payload accepted, after JSON encoding. */
export const MAX_REQUEST_BYTES = 64 * 1024;
/** Most video tiles a client is sent at once, whatever it asks for. */
export const MAX_VISIBLE_VIDEO_TILES = 12;
