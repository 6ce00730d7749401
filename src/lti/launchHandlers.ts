import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { IdToken } from 'ltijs';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import type { Classroom } from '../classroom/ClassroomService.js';
import { lmsUserKey } from '../classroom/userKeys.js';
import { escapeHtml } from '../shared/html.js';
import type { Logger } from '../shared/logger.js';
import type { Launch } from './launchClaims.js';
import { ltiPage, preferredLanguage } from './ltiPages.js';
import { verifiedLaunch, type VerifiedLaunch } from './oidcRoutes.js';
import type { SeatTier } from './PlatformRegistry.js';
import { mapRoles } from './roles.js';
import type { Tickets } from './Tickets.js';

/** Custom parameter a deep-linked content item carries: the classroom it opens. */
export const CLASSROOM_PARAMETER = 'aula_classroom';
const HANDOFF_TTL_MS = 2 * 60_000;
export const DEEP_LINK_TTL_MS = 60 * 60_000;

export interface LaunchHandoff {
  token: string;
  expiresAt: number;
  classroomId: string;
  role: string;
  name: string;
}

export interface DeepLinkSession {
  platformId: string;
  deploymentId: string;
  issuer: string;
  clientId: string;
  contextId: string;
  contextTitle?: string;
  userKey: string;
  seatTier: SeatTier;
  returnUrl: string;
  acceptTypes: string[];
  acceptMultiple: boolean;
  data?: string;
  locale?: string;
}

/** A stable pseudonym when the platform sends no name (privacy settings): "Participant 3f9a". */
export function displayNameFor(launch: Launch): string {
  if (launch.name) return launch.name.slice(0, 100);
  const short = crypto.createHash('sha256').update(launch.lmsUserId).digest('hex').slice(0, 4);
  return `Participant ${short}`;
}

export function contextIdOf(launch: Launch): string {
  // A launch without a course context still belongs somewhere: its resource link.
  return launch.context?.id ?? `link:${launch.resourceLink?.id ?? 'none'}`;
}

function refusalPage(req: Request, res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      ltiPage({
        lang: preferredLanguage(req.headers['accept-language']),
        title: 'Aula',
        body: `<h1>Aula</h1><p>${escapeHtml(message)}</p>`,
      }),
    );
}

/**
 * What happens after a launch passed the guard and ltijs: the resource link
 * opens its classroom (created on a teacher's first launch when it was not
 * deep-linked), a join token is minted, and the page gets it via a one-time
 * ticket in the URL fragment (never in server logs or the Referer).
 */
export function launchHandlers(deps: { services: ClassroomServices; tickets: Tickets; logger: Logger }) {
  const { services, tickets, logger } = deps;

  async function resolveClassroom(
    verified: VerifiedLaunch,
    isTeacher: boolean,
  ): Promise<Classroom | undefined> {
    const { launch, platform, deployment } = verified;
    const resourceLinkId = launch.resourceLink?.id;
    const linked = launch.custom[CLASSROOM_PARAMETER];
    if (linked) {
      const classroom = await services.classrooms.find(linked);
      // A custom parameter from another platform must not open someone else's classroom.
      if (classroom && classroom.platformId === platform._id) {
        if (resourceLinkId && !classroom.resourceLinkId)
          await services.classrooms.attachResourceLink(classroom._id, resourceLinkId);
        return classroom;
      }
    }
    if (resourceLinkId) {
      const existing = await services.classrooms.findByResourceLink(platform._id, resourceLinkId);
      if (existing) return existing;
    }
    if (!isTeacher) return undefined;
    return services.classrooms.create(
      {
        platformId: platform._id,
        deploymentId: deployment.deploymentId,
        contextId: contextIdOf(launch),
        contextTitle: launch.context?.title,
        resourceLinkId,
      },
      {
        title:
          launch.resourceLink?.title?.slice(0, 120) ||
          launch.context?.title?.slice(0, 120) ||
          'Aula classroom',
        seatCap: deployment.seatTier,
      },
      lmsUserKey(platform._id, launch.lmsUserId),
    );
  }

  async function onConnect(_token: IdToken, req: Request, res: Response): Promise<void> {
    const verified = verifiedLaunch(res);
    const { launch, platform } = verified;
    const { role, restricted } = mapRoles(launch.roles);
    const classroom = await resolveClassroom(verified, role === 'teacher');
    if (!classroom) {
      refusalPage(req, res, 404, 'Your teacher has not set up this classroom yet. Please try again later.');
      return;
    }
    if (launch.membershipsUrl || launch.agsEndpoint?.lineitems) {
      await services.classrooms.rememberServices(classroom._id, {
        membershipsUrl: launch.membershipsUrl ?? classroom.services?.membershipsUrl,
        lineItemsUrl: launch.agsEndpoint?.lineitems ?? classroom.services?.lineItemsUrl,
        lineItemUrl: launch.agsEndpoint?.lineitem ?? classroom.services?.lineItemUrl,
        agsScopes: launch.agsEndpoint?.scope ?? classroom.services?.agsScopes ?? undefined,
      });
    }
    const name = displayNameFor(launch);
    const { token, expiresAt } = await services.tokens.mint({
      sub: lmsUserKey(platform._id, launch.lmsUserId),
      cid: classroom._id,
      role,
      name,
      lms: launch.lmsUserId,
      ...(restricted ? { rst: true } : {}),
    });
    const ticket = await tickets.issue<LaunchHandoff>(
      'launch',
      { token, expiresAt, classroomId: classroom._id, role, name },
      HANDOFF_TTL_MS,
    );
    logger.info(
      { classroomId: classroom._id, platformId: platform._id, role, restricted },
      'onConnect() | launch accepted',
    );
    const locale = launch.locale?.toLowerCase().startsWith('de')
      ? '&lang=de'
      : launch.locale
        ? '&lang=en'
        : '';
    res.redirect(303, `/classroom/${encodeURIComponent(classroom._id)}#ticket=${ticket}${locale}`);
  }

  async function onDeepLinking(_token: IdToken, req: Request, res: Response): Promise<void> {
    const { launch, platform, deployment } = verifiedLaunch(res);
    if (mapRoles(launch.roles).role !== 'teacher') {
      refusalPage(req, res, 403, 'Only teachers can add Aula classrooms to a course.');
      return;
    }
    const settings = launch.deepLinking!;
    const ticket = await tickets.issue<DeepLinkSession>(
      'deepLink',
      {
        platformId: platform._id,
        deploymentId: deployment.deploymentId,
        issuer: platform.issuer,
        clientId: platform.clientId,
        contextId: contextIdOf(launch),
        contextTitle: launch.context?.title,
        userKey: lmsUserKey(platform._id, launch.lmsUserId),
        seatTier: deployment.seatTier as SeatTier,
        returnUrl: settings.returnUrl,
        acceptTypes: settings.acceptTypes,
        acceptMultiple: settings.acceptMultiple,
        data: settings.data,
        locale: launch.locale,
      },
      DEEP_LINK_TTL_MS,
    );
    logger.info({ platformId: platform._id }, 'onDeepLinking() | deep-linking session opened');
    const locale = launch.locale?.toLowerCase().startsWith('de') ? '&lang=de' : '';
    res.redirect(303, `/deep-link#ticket=${ticket}${locale}`);
  }

  return { onConnect, onDeepLinking };
}
