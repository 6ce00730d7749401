// Every request of the signalling protocol: its payload schema (the server
// validates with it, the client types its calls with it) and its result.
// Requests are verbs, with a feature namespace where it helps.
import { z } from 'zod';
import {
  dtlsParametersSchema,
  id,
  mediaKind,
  mediaSource,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './media.js';
import type { IceParameters, TransportInfo } from './media.js';
import { boardRequestSchemas, type BoardResults } from './board.js';
import { COLLAB_REQUEST_BYTES, collabRequestSchemas, type CollabResults } from './collab.js';
import { captionsRequestSchemas, type CaptionsResults } from './captions.js';
import { e2eeRequestSchemas, type E2eeResults } from './e2ee.js';
import { notesRequestSchemas, type NotesResults } from './notes.js';
import { recordingRequestSchemas, type RecordingResults } from './recording.js';
import { studentPermissionsChangeSchema } from './studentPermissions.js';
import { pollKind, type ChatMessage, type JoinResult } from './views.js';

/** Largest request payload accepted, after JSON encoding. */
export const MAX_REQUEST_BYTES = 64 * 1024;

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
    .object({
      transportId: id,
      kind: mediaKind,
      rtpParameters: rtpParametersSchema,
      source: mediaSource,
      /** The page encrypts this producer's frames end to end (required in an encrypted lesson). */
      encrypted: z.boolean().optional(),
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
      recordingAllowed: z.boolean().optional(),
      studentPermissions: studentPermissionsChangeSchema.optional(),
    })
    .strict(),
  ...e2eeRequestSchemas,
  ...collabRequestSchemas,
  ...boardRequestSchemas,
  ...notesRequestSchemas,
  ...captionsRequestSchemas,
  ...recordingRequestSchemas,
} as const;

export type RequestName = keyof typeof requestSchemas;

/** The largest payload a request may have: shared documents' messages may be larger than the rest. */
export function maxRequestBytes(name: RequestName): number {
  return name.startsWith('collab:') ? COLLAB_REQUEST_BYTES : MAX_REQUEST_BYTES;
}
export type RequestPayload<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;

export interface RequestResults
  extends CollabResults, BoardResults, NotesResults, CaptionsResults, E2eeResults, RecordingResults {
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
