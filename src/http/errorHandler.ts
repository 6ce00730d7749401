import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import {
  BadRequestError,
  NotFoundError,
  TooManyRequestsError,
  isOperational,
  toErrorPayload,
} from '../shared/errors.js';
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
    if (status === 413) return new BadRequestError('Request body too large');
    if (status >= 400 && status < 500) return new BadRequestError(`Malformed request body: ${error.message}`);
  }
  return error;
}

/** The one place HTTP errors become responses: JSON for API callers, a short page for browsers. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (rawError, req, res, _next) => {
    const error = normalise(rawError);
    const payload = toErrorPayload(error);
    const context = { method: req.method, path: req.path, status: payload.status, code: payload.code };
    if (isOperational(error)) logger.info(context, `request() | rejected: ${payload.message}`);
    else logger.error({ ...context, err: rawError }, 'request() | failed unexpectedly');
    if (res.headersSent) return;
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(payload.status);
    if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
      res.type('html').send(errorPage(payload.status, payload.message));
    } else {
      res.json({ error: payload });
    }
  };
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char] ?? char);
}

/** A self-contained page (no external assets) used for errors shown inside the LMS frame. */
export function errorPage(status: number, message: string, extraHtml = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aula – ${status}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
main{max-width:40rem}h1{font-size:1.3rem}a,button{color:#0b57d0}</style></head>
<body><main><h1>Aula could not open this page</h1><p>${escapeHtml(message)}</p>${extraHtml}<p><small>Error ${status}</small></p></main></body></html>`;
}
