import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import type { Classroom } from '../classroom/ClassroomService.js';
import { cleanDisplayName } from '../classroom/displayName.js';
import { lmsUserKey } from '../classroom/userKeys.js';
import type { Logger } from '../shared/logger.js';
import type { Launch } from './launchClaims.js';
import { sendMessagePage } from './ltiPages.js';
import type { VerifiedLaunch } from './launchRoute.js';
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
  /**
   * The platform's opaque `data` (any JSON value) as JSON text, echoed unchanged in the response.
   * Kept as text: field names with dots or dollars are not for the database to judge.
   */
  dataJson?: string;
  locale?: string;
  /** The classroom the teacher picked or created; the response is signed for it on Continue. */
  chosenClassroomId?: string;
}

/**
 * The name others see: the platform's, cleaned by the one display-name rule;
 * a stable pseudonym when the platform sends none (privacy settings) or
 * nothing is left of it: "Participant 3f9a".
 */
export function displayNameFor(launch: Launch): string {
  const name = cleanDisplayName(launch.name);
  if (name) return name;
  const short = crypto.createHash('sha256').update(launch.lmsUserId).digest('hex').slice(0, 4);
  return `Participant ${short}`;
}

export function contextIdOf(launch: Launch): string {
  // A launch without a course context still belongs somewhere: its resource link.
  return launch.context?.id ?? `link:${launch.resourceLink?.id ?? 'none'}`;
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

  async function onConnect(verified: VerifiedLaunch, req: Request, res: Response): Promise<void> {
    const { launch, platform } = verified;
    const { role, restricted } = mapRoles(launch.roles);
    const classroom = await resolveClassroom(verified, role === 'teacher');
    if (!classroom) {
      sendMessagePage(req, res, {
        status: 404,
        message: 'Your teacher has not set up this classroom yet. Please try again later.',
      });
      return;
    }
    if (launch.membershipsUrl || launch.agsEndpoint?.lineitems) {
      const known = classroom.services;
      const latest = {
        membershipsUrl: launch.membershipsUrl ?? known?.membershipsUrl ?? undefined,
        lineItemsUrl: launch.agsEndpoint?.lineitems ?? known?.lineItemsUrl ?? undefined,
        lineItemUrl: launch.agsEndpoint?.lineitem ?? known?.lineItemUrl ?? undefined,
        agsScopes: launch.agsEndpoint?.scope ?? known?.agsScopes ?? undefined,
      };
      // Every launch carries them; only a change is worth a write.
      if (!sameServices(known, latest)) await services.classrooms.rememberServices(classroom._id, latest);
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

  async function onDeepLinking(verified: VerifiedLaunch, req: Request, res: Response): Promise<void> {
    const { launch, platform, deployment } = verified;
    if (mapRoles(launch.roles).role !== 'teacher') {
      sendMessagePage(req, res, {
        status: 403,
        message: 'Only teachers can add Aula classrooms to a course.',
      });
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
        ...('data' in settings ? { dataJson: JSON.stringify(settings.data ?? null) } : {}),
        locale: launch.locale,
      },
      DEEP_LINK_TTL_MS,
    );
    logger.info({ platformId: platform._id }, 'onDeepLinking() | deep-linking session opened');
    const locale = launch.locale?.toLowerCase().startsWith('de') ? '&lang=de' : '';
    res.redirect(303, `/deep-link#ticket=${ticket}${locale}`);
  }

  return { resourceLink: onConnect, deepLinking: onDeepLinking };
}

function sameServices(known: Classroom['services'], latest: NonNullable<Classroom['services']>): boolean {
  return (
    (known?.membershipsUrl ?? undefined) === latest.membershipsUrl &&
    (known?.lineItemsUrl ?? undefined) === latest.lineItemsUrl &&
    (known?.lineItemUrl ?? undefined) === latest.lineItemUrl &&
    (known?.agsScopes ?? []).join(' ') === (latest.agsScopes ?? []).join(' ')
  );
}
