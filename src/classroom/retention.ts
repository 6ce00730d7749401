import type { Connection } from 'mongoose';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { lmsUserKey } from './userKeys.js';

/**
 * ltijs declares TTL indexes for its launch state; FerretDB 1.x rejects TTL
 * indexes, so the sweeper applies the same lifetimes on every database.
 */
const LTIJS_LIFETIMES_MS: Record<string, number> = {
  nonces: 10 * 60_000,
  states: 10 * 60_000,
  accesstokens: 60 * 60_000,
  idtokens: 24 * 60 * 60_000,
  contexttokens: 24 * 60 * 60_000,
};

export interface SweepResult {
  deleted: Record<string, number>;
}

/** Deletes every record whose retention period has passed. */
export async function sweepExpired(
  models: Models,
  connection: Connection,
  now = new Date(),
): Promise<SweepResult> {
  const deleted: Record<string, number> = {};
  const expiring = {
    attendance: models.attendance,
    chatMessages: models.chatMessages,
    guests: models.guests,
    rosters: models.rosters,
    tickets: models.tickets,
    ltiNonces: models.nonces,
    gradeJobs: models.gradeJobs,
  };
  for (const [name, model] of Object.entries(expiring)) {
    deleted[name] = (
      await (model as typeof models.tickets).deleteMany({ expiresAt: { $lt: now } })
    ).deletedCount;
  }
  for (const [collection, lifetime] of Object.entries(LTIJS_LIFETIMES_MS)) {
    const result = await connection
      .collection(collection)
      .deleteMany({ createdAt: { $lt: new Date(now.getTime() - lifetime) } });
    deleted[`ltijs.${collection}`] = result.deletedCount;
  }
  return { deleted };
}

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly models: Models,
    private readonly connection: Connection,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async sweep(): Promise<void> {
    try {
      const { deleted } = await sweepExpired(this.models, this.connection);
      const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
      if (total > 0) this.logger.info({ deleted }, 'sweep() | expired records deleted');
    } catch (error) {
      this.logger.error({ err: error }, 'sweep() | retention sweep failed');
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Erases one LMS user from Aula: attendance, chat (sent and received), seats,
 * roster entries, removal marks, and ltijs's stored launch tokens.
 */
export async function deleteUserData(
  models: Models,
  connection: Connection,
  user: { platformId: string; issuer: string; lmsUserId: string },
): Promise<Record<string, number>> {
  const userKey = lmsUserKey(user.platformId, user.lmsUserId);
  const counts: Record<string, number> = {};
  counts.attendance = (await models.attendance.deleteMany({ userKey })).deletedCount;
  counts.chatMessages = (
    await models.chatMessages.deleteMany({ $or: [{ fromUserKey: userKey }, { toUserKey: userKey }] })
  ).deletedCount;
  counts.seats = (await models.seats.deleteMany({ userKey })).deletedCount;
  // Read and rewrite instead of $pull with a condition: FerretDB 1.x matches $pull by equality only.
  const rosters = await models.rosters
    .find({ _id: { $regex: `^${escapeRegex(user.platformId)}:` }, 'members.lmsUserId': user.lmsUserId })
    .lean();
  for (const roster of rosters) {
    await models.rosters.updateOne(
      { _id: roster._id },
      { $set: { members: roster.members.filter((member) => member.lmsUserId !== user.lmsUserId) } },
    );
  }
  counts.rosters = rosters.length;
  counts.lessons = (
    await models.lessons.updateMany({ removedUserKeys: userKey }, { $pull: { removedUserKeys: userKey } })
  ).modifiedCount;
  counts.classroomsCreated = (
    await models.classrooms.updateMany({ createdBy: userKey }, { $set: { createdBy: 'deleted-user' } })
  ).modifiedCount;
  for (const collection of ['idtokens', 'contexttokens']) {
    counts[`ltijs.${collection}`] = (
      await connection
        .collection(collection)
        .deleteMany(
          collection === 'idtokens' ? { iss: user.issuer, user: user.lmsUserId } : { user: user.lmsUserId },
        )
    ).deletedCount;
  }
  return counts;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
