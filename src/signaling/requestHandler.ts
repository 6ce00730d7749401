import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import {
  BadRequestError,
  PayloadTooLargeError,
  TooManyRequestsError,
  isOperational,
  toErrorPayload,
} from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import {
  MAX_REQUEST_BYTES,
  requestSchemas,
  type Ack,
  type RequestName,
  type RequestPayload,
  type RequestResults,
} from './protocol.js';

export type RequestHandlers = {
  [N in RequestName]: (payload: RequestPayload<N>) => Promise<RequestResults[N]> | RequestResults[N];
};

export interface RequestLimits {
  /** Requests per second per socket, on average over a few seconds. */
  perSecond: number;
}

/**
 * The average is kept over this window rather than each second: a student
 * joining a full class resumes one consumer per microphone and tile, some
 * sixty requests within a second, and must not lose any of them.
 */
const RATE_WINDOW_SECONDS = 5;

function byteLength(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload ?? null));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Every request of a socket runs through here: rate limit, size limit, schema,
 * then the handler, and always an acknowledgement with a result or a typed
 * error. A client's message can fail its own request, never the process.
 * Listeners are attached at once (a client may send before its room has
 * loaded); the handlers themselves arrive when the room is ready.
 */
export function registerRequests(
  socket: Socket,
  handlers: Promise<RequestHandlers>,
  limits: RequestLimits,
  logger: Logger,
): void {
  const limiter = new RateLimiterMemory({
    points: limits.perSecond * RATE_WINDOW_SECONDS,
    duration: RATE_WINDOW_SECONDS,
  });

  socket.onAny((event: unknown, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof event === 'string' && Object.hasOwn(requestSchemas, event)) return;
    logger.info({ socketId: socket.id, event: String(event).slice(0, 60) }, 'request() | unknown request');
    if (typeof ack === 'function') {
      const reply: Ack<never> = {
        ok: false,
        error: {
          status: 400,
          code: 'UNKNOWN_REQUEST',
          message: `Unknown request "${String(event).slice(0, 60)}"`,
        },
      };
      ack(reply);
    }
  });

  for (const name of Object.keys(requestSchemas) as RequestName[]) {
    socket.on(name, async (...args: unknown[]) => {
      const ack = args[args.length - 1];
      const payload = args.length > 1 ? args[0] : undefined;
      if (typeof ack !== 'function') {
        logger.info(
          { socketId: socket.id, request: name },
          'request() | request without acknowledgement ignored',
        );
        return;
      }
      try {
        try {
          await limiter.consume(socket.id);
        } catch (rejection) {
          const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
          throw new TooManyRequestsError(Math.ceil(ms / 1000), 'Too many requests; slow down');
        }
        if (byteLength(payload) > MAX_REQUEST_BYTES)
          throw new PayloadTooLargeError(`Request "${name}" is too large`);
        const parsed = requestSchemas[name].safeParse(payload ?? {});
        if (!parsed.success) {
          throw new BadRequestError(`Invalid "${name}" request`, {
            issues: parsed.error.issues
              .slice(0, 10)
              .map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
          });
        }
        const handler = (await handlers)[name] as (input: unknown) => Promise<unknown> | unknown;
        const data = await handler(parsed.data);
        ack({ ok: true, data });
      } catch (error) {
        const payloadOut = toErrorPayload(error);
        if (isOperational(error)) {
          logger.info(
            { socketId: socket.id, request: name, code: payloadOut.code },
            `request() | rejected: ${payloadOut.message}`,
          );
        } else {
          logger.error({ socketId: socket.id, request: name, err: error }, 'request() | failed unexpectedly');
        }
        const reply: Ack<never> = { ok: false, error: payloadOut };
        ack(reply);
      }
    });
  }
}
