import type { RequestHandler } from 'express';
import type { Logger } from '../shared/logger.js';
import { DatabaseUnavailableError, type DatabaseHealth } from '../store/DatabaseHealth.js';
import { sendError } from './errorHandler.js';

/**
 * Requests that need the database (launches, logins, the APIs) are answered
 * "busy, try again" with Retry-After while it is away, at once or as soon as
 * it goes away during the request, instead of hanging on the LMS's page.
 */
export function databaseGuard(
  health: DatabaseHealth,
  logger: Logger,
  /** Paths (as the guard's mount sees them) that answer without the database. */
  exempt: readonly string[] = [],
): RequestHandler {
  return (req, res, next) => {
    // Bundled scripts and styles of the LTI pages need no database.
    if (req.path.startsWith('/assets/') || exempt.includes(req.path)) return next();
    if (!health.isAvailable) return next(new DatabaseUnavailableError());
    const onDown = () => {
      if (res.headersSent) return;
      res.locals.answeredBusy = true;
      sendError(req, res, new DatabaseUnavailableError(), logger);
    };
    health.once('down', onDown);
    res.once('close', () => health.off('down', onDown));
    next();
  };
}
