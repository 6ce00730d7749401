import { sameSecret } from '../shared/secrets.js';
import type { RequestHandler, Response } from 'express';
import type { JoinClaims, JoinTokens } from '../classroom/joinToken.js';
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js';

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** API calls from the classroom page carry the join token the launch gave it. */
export function requireJoinToken(tokens: JoinTokens): RequestHandler {
  return (req, res, next) => {
    tokens.verify(bearer(req.headers.authorization)).then(
      (claims) => {
        res.locals.claims = claims;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

export function claimsOf(res: Response): JoinClaims {
  return res.locals.claims as JoinClaims;
}

/** Only a teacher of this very classroom. */
export function requireTeacherOf(param = 'id'): RequestHandler {
  return (req, res, next) => {
    const claims = claimsOf(res);
    if (claims.cid !== req.params[param])
      return next(new ForbiddenError('This token is for another classroom'));
    if (claims.role !== 'teacher')
      return next(new ForbiddenError('Only teachers can do this', 'TEACHERS_ONLY'));
    next();
  };
}

export function requireMemberOf(param = 'id'): RequestHandler {
  return (req, res, next) => {
    if (claimsOf(res).cid !== req.params[param])
      return next(new ForbiddenError('This token is for another classroom'));
    next();
  };
}

/** A shared secret sent as `Authorization: Bearer <secret>`, compared in constant time. */
export function requireBearerSecret(secret: string, realm: string, refusal: () => Error): RequestHandler {
  return (req, res, next) => {
    if (sameSecret(bearer(req.headers.authorization) ?? '', secret)) return next();
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
    next(refusal());
  };
}

/** The admin pages authenticate with AULA_ADMIN_TOKEN. */
export function requireAdmin(adminToken: string): RequestHandler {
  return requireBearerSecret(
    adminToken,
    'admin',
    () => new UnauthorizedError('Admin token required', 'ADMIN_ONLY'),
  );
}
