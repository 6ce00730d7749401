import { RateLimiterMemory } from 'rate-limiter-flexible';
import { SocketWatch, type SocketLimits } from './SocketWatch.js';
import type { Socket } from 'socket.io';
import type { JoinClaims, JoinTokens } from '../classroom/joinToken.js';
import type { Classroom } from '../classroom/live/Classroom.js';
import type { Group } from '../classroom/live/groups/Group.js';
import type { Participant } from '../classroom/live/Participant.js';
import type { ParticipantState } from '../classroom/live/participantState.js';
import type { Permission } from '../classroom/permissions.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  PayloadTooLargeError,
  TooManyRequestsError,
  isOperational,
  toErrorPayload,
} from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { RequestContext, RequestRegistry } from './handlers/index.js';
import type { FeatureLimit } from './handlers/defineRequest.js';
import {
  CAPTION_LINES_PER_10S,
  maxRequestBytes,
  requestSchemas,
  type Ack,
  type RequestName,
} from '../protocol/index.js';

/** One socket's participant in its classroom, once the classroom has loaded. */
export interface SocketSession {
  ready: Promise<unknown>;
  classroom: Classroom | undefined;
  /** The participant this socket speaks for: its own, or one it resumed (in whatever group they are). */
  participant: Participant | undefined;
  claims: JoinClaims;
  tokens: JoinTokens;
}

/** Each feature limit: how many requests per how many seconds, and what the refusal says. */
const FEATURE_LIMITS: Record<FeatureLimit, { points: number; duration: number; message: string }> = {
  chat: { points: 10, duration: 10, message: 'You are sending messages too quickly' },
  captions: { points: CAPTION_LINES_PER_10S, duration: 10, message: 'You are sending captions too quickly' },
};

interface AnySpec {
  states: readonly ParticipantState[];
  permission: Permission | null | ((context: RequestContext<RequestName>) => Permission | undefined);
  limit?: FeatureLimit;
  run(context: RequestContext<RequestName>): unknown;
}

/** A payload's size as JSON, binary fields (shared documents' updates) counted as their bytes. */
function byteLength(payload: unknown): number {
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

async function consume(limiter: RateLimiterMemory, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
    throw new TooManyRequestsError(Math.ceil(ms / 1000), message);
  }
}

/** The typed refusal for a request that does not exist in the participant's state. */
function wrongState(state: ParticipantState, allowed: readonly ParticipantState[]): Error {
  if (state === 'removed') return new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
  if (state === 'joined') return new ConflictError('Already joined', 'ALREADY_JOINED');
  if (allowed.includes('joined')) {
    return new ConflictError('Join the lesson before doing this', 'NOT_JOINED');
  }
  return new ConflictError(`Not possible while ${state}`, 'WRONG_STATE');
}

/**
 * Every request of a socket runs through here, in this order: the socket's
 * rate limit, size and schema, the participant's state, the permission, the
 * feature's own rate limit, then the handler; always an acknowledgement with
 * a result or a typed error. A client's message can fail its own request,
 * never the process. Listeners are attached at once (a page may send before
 * its room has loaded); requests wait for the room.
 */
export function registerRequests(
  socket: Socket,
  session: SocketSession,
  registry: RequestRegistry,
  limits: SocketLimits,
  logger: Logger,
): void {
  const watch = new SocketWatch(socket, limits, logger);
  const featureLimiters = new Map<FeatureLimit, RateLimiterMemory>();
  const featureLimiter = (limit: FeatureLimit): RateLimiterMemory => {
    let limiter = featureLimiters.get(limit);
    if (!limiter) {
      const { points, duration } = FEATURE_LIMITS[limit];
      limiter = new RateLimiterMemory({ points, duration });
      featureLimiters.set(limit, limiter);
    }
    return limiter;
  };

  socket.onAny(async (event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && Object.hasOwn(requestSchemas, event)) return;
    // Unknown names count against the rate limit like any request, and are logged once per interval.
    const limited = await watch.count();
    const name = String(event).slice(0, 60);
    watch.note('unknown', { event: name }, 'request() | unknown request');
    const ack = args[args.length - 1];
    if (typeof ack !== 'function' || socket.disconnected) return;
    const reply: Ack<never> = {
      ok: false,
      error:
        limited === undefined
          ? { status: 400, code: 'UNKNOWN_REQUEST', message: `Unknown request "${name}"` }
          : toErrorPayload(new TooManyRequestsError(limited, 'Too many requests; slow down')),
    };
    ack(reply);
  });

  async function handle(name: RequestName, payload: unknown): Promise<unknown> {
    if (byteLength(payload) > maxRequestBytes(name))
      throw new PayloadTooLargeError(`Request "${name}" is too large`);
    const parsed = requestSchemas[name].safeParse(payload ?? {});
    if (!parsed.success) {
      throw new BadRequestError(`Invalid "${name}" request`, {
        issues: parsed.error.issues
          .slice(0, 10)
          .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    await session.ready;
    const classroom = session.classroom!;
    const participant = session.participant!;
    // The registry is typed per request; here one request's spec meets its own parsed payload.
    const spec = registry[name] as unknown as AnySpec;
    if (!spec.states.includes(participant.state)) throw wrongState(participant.state, spec.states);
    const context: RequestContext<RequestName> = {
      classroom,
      participant,
      get group(): Group {
        const group = classroom.groups.of(participant);
        // Between two groups (a move under way): media and the rest are there in a moment.
        if (!group) throw new ConflictError('Moving to another room, try again', 'MEDIA_RECONNECTING');
        return group;
      },
      payload: parsed.data,
      claims: session.claims,
      tokens: session.tokens,
      adopt: (resumed) => {
        session.participant = resumed;
      },
    };
    const permission = typeof spec.permission === 'function' ? spec.permission(context) : spec.permission;
    if (permission && !classroom.permissionsFor(participant).has(permission)) {
      throw new ForbiddenError(`You are not allowed to do this (${permission}).`, 'PERMISSION_DENIED', {
        permission,
      });
    }
    if (spec.limit)
      await consume(featureLimiter(spec.limit), participant.id, FEATURE_LIMITS[spec.limit].message);
    return spec.run(context);
  }

  for (const name of Object.keys(requestSchemas) as RequestName[]) {
    socket.on(name, async (...args: unknown[]) => {
      const limited = await watch.count();
      const ack = args[args.length - 1];
      const payload = args.length > 1 ? args[0] : undefined;
      if (typeof ack !== 'function') {
        watch.note('noAck', { request: name }, 'request() | request without acknowledgement ignored');
        return;
      }
      if (socket.disconnected) return;
      try {
        if (limited !== undefined) throw new TooManyRequestsError(limited, 'Too many requests; slow down');
        ack({ ok: true, data: await handle(name, payload) });
      } catch (error) {
        const refusal = toErrorPayload(error);
        if (isOperational(error)) {
          watch.note(
            `rejected:${refusal.code}`,
            { request: name, code: refusal.code },
            `request() | rejected: ${refusal.message}`,
          );
        } else {
          logger.error({ socketId: socket.id, request: name, err: error }, 'request() | failed unexpectedly');
        }
        const reply: Ack<never> = { ok: false, error: refusal };
        ack(reply);
      }
    });
  }
}
