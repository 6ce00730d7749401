import type { Provider } from 'ltijs';
import type { RosterMember } from '../classroom/AttendanceService.js';
import type { ClassroomService } from '../classroom/ClassroomService.js';
import { cleanDisplayName } from '../classroom/displayName.js';
import { lmsUserKey } from '../classroom/userKeys.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import type { PlatformRegistry } from './PlatformRegistry.js';
import { serviceIdToken, type PlatformServices } from './platformServices.js';
import { mapRoles } from './roles.js';

export interface RosterOptions {
  /** A roster younger than this is served from the database. */
  freshMs: number;
  retentionMs: number;
  pageSize: number;
  maxPages: number;
}

/**
 * The course roster from the platform's Names and Role Provisioning Service:
 * every page, in pages of a size the platform accepts, cached so a busy
 * teacher dashboard does not hammer the LMS.
 */
export class RosterService {
  private readonly inFlight = new Map<string, Promise<RosterMember[]>>();

  constructor(
    private readonly models: Models,
    private readonly provider: Provider,
    private readonly platforms: PlatformRegistry,
    private readonly services: PlatformServices,
    private readonly classrooms: ClassroomService,
    private readonly options: RosterOptions,
    private readonly logger: Logger,
  ) {}

  async roster(classroomId: string): Promise<RosterMember[]> {
    const classroom = await this.classrooms.get(classroomId);
    const key = `${classroom.platformId}:${classroom.deploymentId}:${classroom.contextId}`;
    const cached = await this.models.rosters.findById(key).lean();
    const toMembers = (record: typeof cached) =>
      (record?.members ?? []).map((member) => ({
        lmsUserId: member.lmsUserId,
        userKey: lmsUserKey(classroom.platformId, member.lmsUserId),
        name: member.name ?? undefined,
        role: member.role,
      }));
    const membershipsUrl = classroom.services?.membershipsUrl;
    if (!membershipsUrl || (cached && Date.now() - cached.fetchedAt.getTime() < this.options.freshMs)) {
      return toMembers(cached);
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(key, classroom.platformId, membershipsUrl).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      this.logger.warn(
        { err: error, classroomId },
        'roster() | could not refresh the roster; serving the cached one',
      );
      return toMembers(cached);
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.rosters.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Erasure: takes one LMS user out of every cached roster of their platform. */
  async eraseMember(platformId: string, lmsUserId: string): Promise<number> {
    // Read and rewrite instead of $pull with a condition: FerretDB 1.x matches $pull by equality only.
    const rosters = await this.models.rosters
      .find({ _id: { $regex: `^${escapeRegex(platformId)}:` }, 'members.lmsUserId': lmsUserId })
      .lean();
    for (const roster of rosters) {
      await this.models.rosters.updateOne(
        { _id: roster._id },
        { $set: { members: roster.members.filter((member) => member.lmsUserId !== lmsUserId) } },
      );
    }
    return rosters.length;
  }

  private async fetch(key: string, platformId: string, membershipsUrl: string): Promise<RosterMember[]> {
    const platform = await this.platforms.get(platformId);
    const idToken = serviceIdToken(platform, { namesRoles: { context_memberships_url: membershipsUrl } });
    const result = await this.services.call(platform, 'roster', () =>
      this.provider.NamesAndRoles.getMembers(idToken, {
        limit: this.options.pageSize,
        pages: this.options.maxPages,
      }),
    );
    const members = result.members
      .filter((member) => member.status === undefined || member.status === 'Active')
      .map((member) => ({
        lmsUserId: member.user_id,
        // The same display-name rule as launches: the roster's names appear next to them.
        name: cleanDisplayName(
          member.name ?? [member.given_name, member.family_name].filter(Boolean).join(' '),
        ),
        role: mapRoles(member.roles).role,
        active: true,
      }));
    const now = new Date();
    await this.models.rosters.updateOne(
      { _id: key },
      { $set: { members, fetchedAt: now, expiresAt: new Date(now.getTime() + this.options.retentionMs) } },
      { upsert: true },
    );
    this.logger.info({ key, members: members.length }, 'fetch() | roster refreshed');
    return members.map((member) => ({
      lmsUserId: member.lmsUserId,
      userKey: lmsUserKey(platformId, member.lmsUserId),
      name: member.name,
      role: member.role,
    }));
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
