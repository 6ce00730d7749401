import type { JoinClaims, JoinTokens } from '../classroom/joinToken.js';
import type { Classroom } from '../classroom/live/Classroom.js';
import type { Participant } from '../classroom/live/Participant.js';
import type { ParticipantState } from '../classroom/live/participantState.js';
import type { z } from 'zod';
import { BadRequestError, ConflictError, ForbiddenError, PayloadTooLargeError } from '../shared/errors.js';

// What both pipelines share: the socket's session, and the checks every
// request and message of a socket passes.

/** One socket's participant in its classroom, once the classroom has loaded. */
export interface SocketSession {
  ready: Promise<unknown>;
  classroom: Classroom | undefined;
  /** The participant this socket speaks for: its own, or one it resumed (in whatever group they are). */
  participant: Participant | undefined;
  claims: JoinClaims;
  tokens: JoinTokens;
}

/** A payload's size as JSON, binary fields (shared documents' updates) counted as their bytes. */
export function byteLength(payload: unknown): number {
  try {
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
      let binary = 0;
      const rest: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(payload)) {
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) binary += value.byteLength;
        else rest[key] = value;
      }
      if (binary > 0) return binary + Buffer.byteLength(JSON.stringify(rest));
    }
    return Buffer.byteLength(JSON.stringify(payload ?? null));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The typed refusal for a request that does not exist in the participant's state. */
export function wrongState(state: ParticipantState, allowed: readonly ParticipantState[]): Error {
  if (state === 'removed') return new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
  if (state === 'joined') return new ConflictError('Already joined', 'ALREADY_JOINED');
  if (allowed.includes('joined')) {
    return new ConflictError('Join the lesson before doing this', 'NOT_JOINED');
  }
  return new ConflictError(`Not possible while ${state}`, 'WRONG_STATE');
}

/**
 * A payload checked at the edge: its size (binary counted as its bytes),
 * then its schema; PAYLOAD_TOO_LARGE or BAD_REQUEST with the first issues.
 */
export function checkedPayload<S extends z.ZodType>(
  what: string,
  schema: S,
  payload: unknown,
  maxBytes: number,
): z.infer<S> {
  if (byteLength(payload) > maxBytes) throw new PayloadTooLargeError(`${what} is too large`);
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestError(`Invalid ${what}`, {
    issues: parsed.error.issues
      .slice(0, 10)
      .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
