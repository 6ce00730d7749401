// The one signalling protocol between the classroom page and Aula, shared by
// server and client: every request with its payload schema and result type,
// every server event with its payload type. Requests are verbs, events facts.
import type { MediaKind, RtpCapabilities, RtpParameters } from 'mediasoup/node/lib/RtpParameters.js';
import type { DtlsParameters, IceCandidate, IceParameters } from 'mediasoup/node/lib/WebRtcTransport.js';
import { z } from 'zod';
import { studentPermissionsChangeSchema, type StudentPermissions } from '../shared/studentPermissions.js';

export type { DtlsParameters, IceCandidate, IceParameters, MediaKind, RtpCapabilities, RtpParameters };

const id = z.string().min(1).max(128);
const mediaSource = z.enum(['mic', 'camera', 'screen', 'screenAudio']);
const mediaKind = z.enum(['audio', 'video']);

// mediasoup's parameter objects, bounded to what RTP allows: mediasoup checks
// their structure but not every range (a payload type of 100000 or a negative
// SSRC would reach the worker). The inferred types are mediasoup's own, so the
// handlers pass them on without a cast.
const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().min(0).max(0xffff_ffff);
const mimeType = z.string().regex(/^(audio|video)\/[A-Za-z0-9_.+-]{1,40}$/, 'must be like audio/opus');
const clockRate = z.number().int().min(1000).max(1_000_000);
const channels = z.number().int().min(1).max(8);
const codecParameters = z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()]));
const rtcpFeedback = z.object({ type: z.string().max(32), parameter: z.string().max(32).optional() });
const headerExtensionId = z.number().int().min(1).max(255);

const rtpCapabilitiesSchema = z.object({
  codecs: z
    .array(
      z.object({
        kind: mediaKind,
        mimeType,
        preferredPayloadType: payloadType.optional(),
        clockRate,
        channels: channels.optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(
      z.object({
        kind: mediaKind,
        uri: z.string().max(256),
        preferredId: headerExtensionId,
        preferredEncrypt: z.boolean().optional(),
        direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
      }),
    )
    .max(64)
    .optional(),
}) satisfies z.ZodType<RtpCapabilities>;

const rtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType,
        payloadType,
        clockRate,
        channels: channels.optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(16).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().max(256),
        id: headerExtensionId,
        encrypt: z.boolean().optional(),
        parameters: codecParameters.optional(),
      }),
    )
    .max(32)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: ssrc.optional(),
        rid: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,16}$/)
          .optional(),
        codecPayloadType: payloadType.optional(),
        rtx: z.object({ ssrc }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z
          .string()
          .regex(/^[LS][1-4]T[1-4](_KEY)?(_SHIFT)?h?$/)
          .optional(),
        scaleResolutionDownBy: z.number().min(1).max(64).optional(),
        maxBitrate: z.number().int().min(1000).max(100_000_000).optional(),
      }),
    )
    .max(8)
    .optional(),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
}) satisfies z.ZodType<RtpParameters>;

const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.string().regex(/^sha-(1|224|256|384|512)$/, 'must be a SHA hash name'),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/, 'must be a hex fingerprint'),
      }),
    )
    .min(1)
    .max(8),
}) satisfies z.ZodType<DtlsParameters>;

export type MediaSourceName = z.infer<typeof mediaSource>;

const pollKind = z.enum(['single', 'multiple', 'yesNo', 'scale']);
export type PollKind = z.infer<typeof pollKind>;

/** A teacher's poll: single or multiple choice with 2–8 options, yes/no/abstain, or a 1–5 scale. */
const pollStart = z
  .object({
    question: z.string().trim().min(1).max(300),
    kind: pollKind,
    options: z.array(z.string().trim().min(1).max(120)).min(2).max(8).optional(),
    anonymous: z.boolean(),
    guestsMayAnswer: z.boolean(),
    durationSeconds: z.number().int().min(10).max(3600).optional(),
  })
  .strict()
  .refine((poll) => (poll.kind === 'single' || poll.kind === 'multiple') === (poll.options !== undefined), {
    message: 'choice polls need 2 to 8 options; yes/no and scale polls have their own',
    path: ['options'],
  });
export type Role = 'teacher' | 'student' | 'guest';

export const requestSchemas = {
  join: z
    .object({
      /** A page whose connection dropped continues as the participant it was. */
      resume: z
        .object({ participantId: id, key: z.string().min(1).max(64), keepMedia: z.boolean() })
        .strict()
        .optional(),
    })
    .strict(),
  leave: z.object({}).strict(),
  'session:refresh': z.object({}).strict(),

  'media:capabilities': z.object({ rtpCapabilities: rtpCapabilitiesSchema }).strict(),
  createTransport: z
    .object({ direction: z.enum(['send', 'recv']), forceTcp: z.boolean().optional() })
    .strict(),
  connectTransport: z.object({ transportId: id, dtlsParameters: dtlsParametersSchema }).strict(),
  restartIce: z.object({ transportId: id }).strict(),
  produce: z
    .object({ transportId: id, kind: mediaKind, rtpParameters: rtpParametersSchema, source: mediaSource })
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
  'lobby:autoAdmit': z.object({ enabled: z.boolean() }).strict(),
  'lobby:deny': z.object({ participantId: id }).strict(),
  'mod:mute': z.object({ participantId: id, source: mediaSource }).strict(),
  'mod:muteAll': z.object({}).strict(),
  'mod:remove': z
    .object({
      participantId: id,
      /** Removing a guest: also give the guest link a new password, so the link alone lets nobody back. */
      changeGuestPassword: z.boolean().optional(),
    })
    .strict(),
  'mod:lock': z.object({ locked: z.boolean() }).strict(),
  'mod:pin': z.object({ participantId: id.nullable() }).strict(),
  'mod:lowerAllHands': z.object({}).strict(),
  'mod:callNext': z.object({ count: z.number().int().min(1).max(3) }).strict(),
  'mod:giveFloor': z.object({ participantId: id.nullable() }).strict(),
  'poll:start': pollStart,
  'poll:answer': z
    .object({ pollId: id, choices: z.array(z.number().int().min(0).max(7)).min(1).max(8) })
    .strict(),
  'poll:close': z.object({ pollId: id }).strict(),
  'poll:share': z.object({ pollId: id, shared: z.boolean() }).strict(),
  'breakout:open': z
    .object({
      groups: z.number().int().min(2).max(12),
      names: z.array(z.string().trim().min(1).max(60)).max(12).optional(),
      assignment: z.enum(['auto', 'manual', 'choose']),
      /** For manual assignment: participant id → group index. */
      manual: z.record(id, z.number().int().min(0).max(11)).optional(),
      durationMinutes: z.number().int().min(1).max(240).optional(),
    })
    .strict(),
  /** A teacher moves someone (in any room) into a group, or back to the main room (null). */
  'breakout:assign': z.object({ participantId: id, groupId: id.nullable() }).strict(),
  /** A student picks a group when the teacher lets them choose. */
  'breakout:choose': z.object({ groupId: id }).strict(),
  /** A teacher goes to a group, or back to the main room (null). */
  'breakout:visit': z.object({ groupId: id.nullable() }).strict(),
  'breakout:help': z.object({}).strict(),
  'breakout:message': z.object({ text: z.string().trim().min(1).max(500) }).strict(),
  /** Everyone back to the main room after a countdown (the teacher's page uses 30 s). */
  'breakout:close': z.object({ countdownSeconds: z.number().int().min(0).max(60) }).strict(),
  'mod:settings': z
    .object({
      lectureMode: z.boolean().optional(),
      lobbyEnabled: z.boolean().optional(),
      studentPermissions: studentPermissionsChangeSchema.optional(),
    })
    .strict(),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export type Permissions = StudentPermissions & { raiseHand: boolean; moderate: boolean };

export interface ParticipantInfo {
  id: string;
  displayName: string;
  role: Role;
  handRaisedAt: number | null;
  hasFloor: boolean;
  /** The connection dropped; the participant keeps their place while the page comes back. */
  away: boolean;
  /** Sources this participant currently sends, and whether each is paused (muted). */
  sources: Partial<Record<MediaSourceName, { producerId: string; paused: boolean }>>;
}

export interface LobbyEntry {
  id: string;
  displayName: string;
  role: Role;
  waitingSince: number;
  /** Place in the queue, 1 for the next one in. */
  position: number;
}

/** Seats of the running lesson: the cap, and how many people hold one. */
export interface SeatCount {
  cap: number;
  taken: number;
}

/** What someone in the lobby is told about their wait. */
export interface WaitingStatus {
  reason: 'not-started' | 'waiting-room';
  /** Place in the queue, 1 for the next one in. */
  position: number;
  /** Every seat is taken: they get in when one frees. */
  full: boolean;
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
  seats: SeatCount;
  /** The teacher's switch: waiting students (never guests) come in by themselves as seats free. */
  autoAdmit: boolean;
  /** The lesson's current (or last closed) poll, and its results when this viewer may see them. */
  poll: PollView | null;
  pollResults: PollResults | null;
}

/** A poll as a page shows it; `options` are keys (`yes`, `no`, `abstain`; `1`…`5`) for the fixed kinds. */
export interface PollView {
  id: string;
  question: string;
  kind: PollKind;
  options: string[];
  anonymous: boolean;
  guestsMayAnswer: boolean;
  startedAt: number;
  endsAt: number | null;
  closed: boolean;
  /** The teacher shows the results to everyone. */
  shared: boolean;
  /** This viewer's answer, if any. */
  mine: number[] | null;
}

/** Counts per option; `voters` (who chose what) only for teachers, only in named polls. */
export interface PollResults {
  pollId: string;
  answered: number;
  counts: number[];
  voters?: Array<{ name: string; choices: number[] }>;
}

export interface BreakoutState {
  open: boolean;
  assignment: 'auto' | 'manual' | 'choose';
  endsAt: number | null;
  /** Everyone returns to the main room at this time. */
  closingAt: number | null;
  groups: Array<{
    id: string;
    name: string;
    members: Array<{ id: string; displayName: string; role: Role }>;
  }>;
  /** The viewer's group; null in the main room. */
  myGroup: string | null;
}

export interface MediaSetup {
  routerRtpCapabilities: RtpCapabilities;
  iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }>;
}

export type JoinResult =
  | ({ status: 'lobby'; self: ParticipantInfo; classroomTitle: string } & WaitingStatus)
  | {
      status: 'joined';
      self: ParticipantInfo;
      /** Sent back in `join` after a dropped connection, to continue as this participant. */
      resumeKey: string;
      /** Set when the page continued an earlier connection. */
      resumed?: {
        /** The transports, producers and consumers the page had still live on the server. */
        keptMedia: boolean;
        /** The consumers the page should have; it drops any other it still holds. */
        consumerIds: string[];
      };
      permissions: Permissions;
      room: RoomState;
      media: MediaSetup;
      chat: ChatMessage[];
    };

export interface TransportInfo {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

export interface RequestResults {
  join: JoinResult;
  leave: { left: true };
  'session:refresh': { token: string; expiresAt: number };
  'media:capabilities': { ok: true };
  createTransport: TransportInfo;
  connectTransport: { ok: true };
  restartIce: { iceParameters: IceParameters };
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
  /** Admits everyone waiting now while seats last; `waiting` still wait (guests always wait for a click). */
  'lobby:admitAll': { admitted: number; waiting: number };
  'lobby:autoAdmit': { ok: true };
  'lobby:deny': { ok: true };
  'mod:mute': { ok: true };
  'mod:muteAll': { muted: number };
  /** `guestPassword`: the new guest password, when it was changed (shown once to the teacher). */
  'mod:remove': { ok: true; guestPassword?: string };
  'mod:lock': { ok: true };
  'mod:pin': { ok: true };
  'mod:lowerAllHands': { ok: true };
  'mod:callNext': { called: string[] };
  'mod:giveFloor': { ok: true };
  'mod:settings': { ok: true };
  'breakout:open': { ok: true };
  'breakout:assign': { ok: true };
  'breakout:choose': { ok: true };
  'breakout:visit': { ok: true };
  'breakout:help': { ok: true };
  'breakout:message': { ok: true };
  'breakout:close': { ok: true };
  'poll:start': { pollId: string };
  'poll:answer': { ok: true };
  'poll:close': { ok: true };
  'poll:share': { ok: true };
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

/** Largest request payload accepted, after JSON encoding. */
export const MAX_REQUEST_BYTES = 64 * 1024;
