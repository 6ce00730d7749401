import { Router, json } from 'express';
import { requireActive } from '../classroom/activation.js';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { claimsOf, requireJoinToken, requireMemberOf } from './authentication.js';

/** What a new window redeems: the join session of the page that opened it. */
export interface WindowHandoff {
  token: string;
  expiresAt: number;
  classroomId: string;
  role: string;
  name: string;
}

/**
 * "Open in a new window" from inside the LMS's frame: the frame's session
 * lives in the frame's partitioned storage and its launch ticket is spent,
 * so the new window gets a credential of its own. The page asks with its join
 * token; the answer is a single-use ticket, valid for a minute, for this
 * classroom and this person only (`issue` keeps it; the launch page's redeem
 * takes it, naming the classroom it opens).
 */
export function windowHandoverRoutes(
  services: ClassroomServices,
  issue: (handoff: WindowHandoff) => Promise<{ ticket: string; expiresInSeconds: number }>,
): Router {
  const router = Router();
  router.post(
    '/api/classrooms/:id/handover',
    json({ limit: '1kb' }),
    requireJoinToken(services.tokens),
    requireMemberOf(),
    asyncRoute(async (req, res) => {
      const claims = claimsOf(res);
      await requireActive(services.isActive, await services.classrooms.get(claims.cid));
      // A fresh token for the same person and classroom: the new window may outlive the frame's.
      const { token, expiresAt } = await services.tokens.mint(claims);
      const handoff = { token, expiresAt, classroomId: claims.cid, role: claims.role, name: claims.name };
      res.status(201).json(await issue(handoff));
    }),
  );
  return router;
}
