import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import {
  BadRequestError,
  PayloadTooLargeError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  isOperational,
  toErrorPayload,
} from '../shared/errors.js';
import { errorPage } from '../shared/html.js';
import type { Logger } from '../shared/logger.js';

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}

function normalise(error: unknown): unknown {
  if (error instanceof ZodError) {
    return new BadRequestError('Invalid request', {
      issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  // body-parser marks its own failures (malformed JSON, oversized bodies) with a status.
  if (error instanceof Error && 'status' in error && typeof error.status === 'number' && 'type' in error) {
    const status = error.status;
    if (status === 413) return new PayloadTooLargeError('Request body too large');
    if (status >= 400 && status < 500) return new BadRequestError(`Malformed request body: ${error.message}`);
  }
  return error;
}

/** The one place HTTP errors become responses: JSON for API callers, a short page for browsers. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (rawError, req, res, _next) => {
    // The database guard already answered "busy"; the handler it cut short finishing late is no news.
    if (res.locals.answeredBusy === true) return;
    sendError(req, res, rawError, logger);
  };
}

/** Logs an error once (info for a client's or an outage's, error for a bug) and answers it. */
export function sendError(req: Request, res: Response, rawError: unknown, logger: Logger): void {
  const error = normalise(rawError);
  const payload = toErrorPayload(error);
  const context = { method: req.method, path: req.path, status: payload.status, code: payload.code };
  // A rate limit logs when it starts to bite; a line per refused request would let
  // the refused client write the log.
  if (error instanceof TooManyRequestsError)
    logger.debug(context, `request() | rejected: ${payload.message}`);
  else if (isOperational(error)) logger.info(context, `request() | rejected: ${payload.message}`);
  else logger.error({ ...context, err: rawError }, 'request() | failed unexpectedly');
  if (res.headersSent) return;
  if (error instanceof TooManyRequestsError || error instanceof ServiceUnavailableError) {
    if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  }
  res.status(payload.status);
  if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
    res.type('html').send(errorPage(payload.status, payload.message));
  } else {
    res.json({ error: payload });
  }
}
