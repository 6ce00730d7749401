import cookieParser from 'cookie-parser';
import { Router, json } from 'express';
import { requireActive } from '../classroom/activation.js';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { displayNameSchema } from '../classroom/guestRules.js';
import { guestUserKey } from '../classroom/userKeys.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { BadRequestError, ForbiddenError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import { guestJoinRequestSchema } from '../protocol/index.js';

/** The guest's browser keeps this random id, so coming back with the same link is the same guest. */
const BROWSER_COOKIE = 'aula_guest';
const BROWSER_COOKIE_DAYS = 30;

/** Outsiders with the teacher's link and password: they get a guest token and wait in the lobby. */
export function guestRoutes(services: ClassroomServices, options: { secureCookies: boolean }): Router {
  const router = Router();
  router.post(
    '/api/guest/join',
    json({ limit: '8kb' }),
    cookieParser(),
    asyncRoute(async (req, res) => {
      const request = guestJoinRequestSchema.parse(req.body);
      const name = displayNameSchema.safeParse(request.displayName);
      if (!name.success)
        throw new BadRequestError(`Your name ${name.error.issues[0]?.message ?? 'is invalid'}`);
      const cookies = req.cookies as Record<string, string | undefined>;
      const known = cookies[BROWSER_COOKIE];
      const browserId = known && /^[A-Za-z0-9_-]{16,64}$/.test(known) ? known : randomId();
      const guest = await services.guests.admit(
        request.link,
        request.password,
        name.data,
        req.ip ?? 'unknown',
        browserId,
      );
      res.cookie(BROWSER_COOKIE, browserId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/api/guest',
        maxAge: BROWSER_COOKIE_DAYS * 24 * 60 * 60_000,
      });
      await requireActive(services.isActive, guest.classroom);
      // The live room knows a removal at once; its record in the database may still be on its way.
      const room = await services.rooms.peek(guest.classroomId);
      const lesson = room ? room.ctx.lesson : await services.lessons.live(guest.classroomId);
      if (lesson?.removedUserKeys.includes(guestUserKey(guest.guestId))) {
        throw new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
      }
      const { token, expiresAt } = await services.tokens.mint({
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
