import { Router, json } from 'express';
import type { GuestAccess } from '../classroom/GuestAccess.js';
import { displayNameSchema } from '../classroom/guestRules.js';
import type { JoinTokens } from '../classroom/joinToken.js';
import { guestUserKey } from '../classroom/userKeys.js';
import { BadRequestError } from '../shared/errors.js';
import { guestJoinRequestSchema } from './apiSchemas.js';
import { asyncRoute } from '../shared/asyncRoute.js';

/** Outsiders with the teacher's link and password: they get a guest token and wait in the lobby. */
export function guestRoutes(guests: GuestAccess, tokens: JoinTokens): Router {
  const router = Router();
  router.post(
    '/api/guest/join',
    json({ limit: '8kb' }),
    asyncRoute(async (req, res) => {
      const request = guestJoinRequestSchema.parse(req.body);
      const name = displayNameSchema.safeParse(request.displayName);
      if (!name.success)
        throw new BadRequestError(`Your name ${name.error.issues[0]?.message ?? 'is invalid'}`);
      const guest = await guests.admit(request.link, request.password, name.data, req.ip ?? 'unknown');
      const { token, expiresAt } = await tokens.mint({
        sub: guestUserKey(guest.guestId),
        cid: guest.classroomId,
        role: 'guest',
        name: guest.displayName,
      });
      res.json({ token, expiresAt, classroomId: guest.classroomId });
    }),
  );
  return router;
}
