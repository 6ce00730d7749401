import { Router, json } from 'express';
import type { Provider } from 'ltijs';
import { z } from 'zod';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { newClassroomSchema } from '../protocol/index.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { ConflictError, NotFoundError, UnauthorizedError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { signDeepLinkingResponse } from './deepLinkingResponse.js';
import { CLASSROOM_PARAMETER, type DeepLinkSession, type LaunchHandoff } from './launchHandlers.js';
import type { Tickets } from './Tickets.js';
import type { ToolUrls } from './toolUrls.js';

const ticketSchema = z.object({ ticket: z.string().min(1).max(100) }).strict();
/** The classroom page names the classroom it opens: a ticket for another one is spent and refused. */
const redeemSchema = ticketSchema.extend({ classroomId: z.string().min(1).max(64).optional() }).strict();
const deepLinkChoiceSchema = z.union([
  z.object({ classroomId: z.string().min(1).max(64) }).strict(),
  z.object({ newClassroom: newClassroomSchema }).strict(),
]);

const EXPIRED = 'This link has expired. Please open Aula again from your course.';

/**
 * The pages that follow a launch: redeem the launch ticket, and the deep-linking
 * picker's API. The picker first chooses (or creates) the classroom, which the
 * session remembers; the response to the platform is signed only when the
 * teacher continues, so however long they take to note the guest password,
 * the platform receives a fresh message.
 */
export function ltiApiRoutes(deps: {
  provider: Provider;
  services: ClassroomServices;
  tickets: Tickets;
  urls: ToolUrls;
  logger: Logger;
}): Router {
  const router = Router();
  const { services, tickets } = deps;
  router.use(['/api/launch', '/api/deep-link'], json({ limit: '8kb' }));

  router.post(
    '/api/launch/redeem',
    asyncRoute(async (req, res) => {
      const { ticket, classroomId } = redeemSchema.parse(req.body);
      const handoff = await tickets.redeem<LaunchHandoff>('launch', ticket);
      if (!handoff || (classroomId !== undefined && handoff.classroomId !== classroomId)) {
        if (handoff) deps.logger.info({ classroomId }, 'redeem() | ticket of another classroom refused');
        throw new UnauthorizedError(EXPIRED, 'TICKET_INVALID');
      }
      res.json(handoff);
    }),
  );

  const session = async (ticket: string | undefined) => {
    const found = await tickets.peek<DeepLinkSession>('deepLink', ticket);
    if (!found) throw new UnauthorizedError(EXPIRED, 'TICKET_INVALID');
    return found;
  };

  router.get(
    '/api/deep-link/:ticket',
    asyncRoute(async (req, res) => {
      const current = await session(req.params.ticket);
      const classrooms = await services.classrooms.listForContext(
        current.platformId,
        current.deploymentId,
        current.contextId,
      );
      res.json({
        contextTitle: current.contextTitle ?? null,
        defaultSeatCap: current.seatTier,
        classrooms: classrooms.map((classroom) => ({
          id: classroom._id,
          title: classroom.title,
          seatCap: classroom.seatCap,
          lectureMode: classroom.lectureMode,
          guestAccess: Boolean(classroom.guestAccess?.enabled),
        })),
      });
    }),
  );

  router.post(
    '/api/deep-link/:ticket',
    asyncRoute(async (req, res) => {
      const current = await session(req.params.ticket);
      if (current.chosenClassroomId) {
        throw new ConflictError('A classroom was already chosen for this course page.', 'ALREADY_CHOSEN');
      }
      if (!current.acceptTypes.includes('ltiResourceLink')) {
        throw new ConflictError(
          'This course does not accept links to activities here.',
          'LINK_TYPE_NOT_ACCEPTED',
        );
      }
      const choice = deepLinkChoiceSchema.parse(req.body);
      let classroom;
      let guestPassword: string | undefined;
      if ('classroomId' in choice) {
        classroom = await services.classrooms.find(choice.classroomId);
        if (
          !classroom ||
          classroom.platformId !== current.platformId ||
          classroom.contextId !== current.contextId
        ) {
          throw new NotFoundError('This classroom does not belong to this course', 'CLASSROOM_NOT_FOUND');
        }
      } else {
        const request = choice.newClassroom;
        classroom = await services.classrooms.create(
          {
            platformId: current.platformId,
            deploymentId: current.deploymentId,
            contextId: current.contextId,
            contextTitle: current.contextTitle,
          },
          { title: request.title, seatCap: request.seatCap, lectureMode: request.lectureMode },
          current.userKey,
        );
        if (request.guestAccess)
          guestPassword = (await services.guests.configure(classroom._id, { enabled: true })).password;
      }
      await tickets.amend<DeepLinkSession>('deepLink', req.params.ticket!, {
        chosenClassroomId: classroom._id,
      });
      deps.logger.info(
        { classroomId: classroom._id, platformId: current.platformId },
        'deepLink() | classroom chosen',
      );
      const view = services.classrooms.view(await services.classrooms.get(classroom._id));
      res.json({
        returnUrl: current.returnUrl,
        classroom: view,
        ...(guestPassword ? { guestPassword } : {}),
      });
    }),
  );

  router.post(
    '/api/deep-link/:ticket/response',
    asyncRoute(async (req, res) => {
      const current = await session(req.params.ticket);
      if (!current.chosenClassroomId) {
        throw new ConflictError('Choose or create a classroom first.', 'NOTHING_CHOSEN');
      }
      const classroom = await services.classrooms.get(current.chosenClassroomId);
      // Single use from here: the platform accepts one response per request.
      if ((await tickets.redeem('deepLink', req.params.ticket)) === undefined) {
        throw new UnauthorizedError(EXPIRED, 'TICKET_INVALID');
      }
      const jwt = await signDeepLinkingResponse(
        deps.provider,
        {
          issuer: current.issuer,
          clientId: current.clientId,
          deploymentId: current.deploymentId,
          acceptTypes: current.acceptTypes,
          acceptMultiple: current.acceptMultiple,
          ...(current.dataJson !== undefined ? { data: JSON.parse(current.dataJson) as unknown } : {}),
        },
        [
          {
            type: 'ltiResourceLink',
            title: classroom.title,
            text: `Live classroom, up to ${classroom.seatCap} seats`,
            url: deps.urls.launch,
            icon: { url: deps.urls.icon, width: 64, height: 64 },
            custom: { [CLASSROOM_PARAMETER]: classroom._id },
          },
        ],
        `Aula classroom "${classroom.title}" added`,
      );
      deps.logger.info(
        { classroomId: classroom._id, platformId: current.platformId },
        'deepLink() | content item returned',
      );
      res.json({ returnUrl: current.returnUrl, jwt });
    }),
  );
  return router;
}
