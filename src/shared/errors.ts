import type { ErrorCode, ProtocolError } from '../protocol/index.js';

/**
 * Operational errors: expected failures caused by input or state, answered to
 * the client with their status and code. Anything else is a programmer error:
 * logged in full, answered with a generic 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(400, 'BAD_REQUEST', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code: ErrorCode = 'UNAUTHORIZED') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, code: ErrorCode = 'FORBIDDEN', details?: Record<string, unknown>) {
    super(403, code, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, code: ErrorCode = 'NOT_FOUND') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code: ErrorCode = 'CONFLICT', details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'Payload too large') {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many attempts, try again later',
  ) {
    super(429, 'RATE_LIMITED', message, { retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    code: ErrorCode = 'UNAVAILABLE',
    readonly retryAfterSeconds?: number,
  ) {
    super(503, code, message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
  }
}

/** What a client may see of an error: the server's side of ProtocolError, with a code from the one list. */
export type ErrorPayload = ProtocolError & { code: ErrorCode };

/** The one mapping from any thrown value to what a client may see. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side' };
}

export function isOperational(error: unknown): error is AppError {
  return error instanceof AppError;
}
