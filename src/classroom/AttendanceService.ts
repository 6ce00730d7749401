import { randomId } from '../shared/ids.js';
import type { AttendanceRecord, Models } from '../store/models/index.js';
import type { WriteBehind } from '../store/WriteBehind.js';
import { buildAttendanceReport, type AttendanceEntry, type RosterMember } from './attendanceReport.js';
import type { AulaRole } from './permissions.js';

export type { AttendanceEntry, RosterMember };

export interface AttendanceOptions {
  retentionMs: number;
  /** A participant not seen for this long is considered gone (its process crashed). */
  staleAfterMs: number;
}

export interface ParticipantIdentity {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole;
  /** The breakout room this interval was spent in; none in the class's main room. */
  room?: string;
}

/**
 * Join and leave of every person in every lesson: the base of the attendance
 * view and grades. A person has one open interval at a time; writes from the
 * live room go through the write-behind queue, so an outage of the database
 * delays them without losing them.
 */
export class AttendanceService {
  constructor(
    private readonly models: Models,
    private readonly writes: WriteBehind,
    private readonly options: AttendanceOptions,
  ) {}

  /**
   * Opens a person's interval and returns its id at once. An interval of the
   * same person left open by a process that died closes where it was last seen.
   */
  open(classroomId: string, lessonId: string, who: ParticipantIdentity): string {
    const now = new Date();
    const id = randomId();
    this.writes.enqueue('attendance.open', async () => {
      const stale = await this.models.attendance
        .find({ lessonId, userKey: who.userKey, leftAt: { $exists: false } }, { lastSeenAt: 1 })
        .lean();
      for (const interval of stale) {
        await this.models.attendance.updateOne(
          { _id: interval._id, leftAt: { $exists: false } },
          { $set: { leftAt: interval.lastSeenAt } },
        );
      }
      await this.models.attendance.create({
        _id: id,
        classroomId,
        lessonId,
        userKey: who.userKey,
        lmsUserId: who.lmsUserId,
        displayName: who.displayName,
        role: who.role,
        ...(who.room ? { room: who.room } : {}),
        joinedAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.options.retentionMs),
      });
    });
    return id;
  }

  /** Closes an interval at `at` (now unless the person was already gone earlier). */
  close(intervalId: string, at = new Date()): void {
    this.writes.enqueue('attendance.close', () =>
      this.models.attendance.updateOne(
        { _id: intervalId, leftAt: { $exists: false } },
        { $set: { leftAt: at, lastSeenAt: at } },
      ),
    );
  }

  /** The connection dropped at `from` and came back at `to`: one interval, the gap not counted. */
  recordGap(intervalId: string, from: Date, to: Date): void {
    this.writes.enqueue('attendance.gap', () =>
      this.models.attendance.updateOne({ _id: intervalId }, { $push: { gaps: { from, to } } }),
    );
  }

  async heartbeat(intervalIds: string[]): Promise<void> {
    if (intervalIds.length === 0) return;
    await this.models.attendance.updateMany(
      { _id: { $in: intervalIds }, leftAt: { $exists: false } },
      { $set: { lastSeenAt: new Date() } },
    );
  }

  /** At lesson end: connected intervals end now; intervals of crashed processes end when last seen. */
  async closeOpenIntervals(lessonId: string, endedAt: Date): Promise<void> {
    const open = await this.models.attendance
      .find({ lessonId, leftAt: { $exists: false } }, { lastSeenAt: 1 })
      .lean();
    const staleBefore = endedAt.getTime() - this.options.staleAfterMs;
    for (const interval of open) {
      const leftAt = interval.lastSeenAt.getTime() < staleBefore ? interval.lastSeenAt : endedAt;
      await this.models.attendance.updateOne(
        { _id: interval._id, leftAt: { $exists: false } },
        { $set: { leftAt } },
      );
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.attendance.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.attendance.deleteMany({ userKey })).deletedCount;
  }

  /** The names of the teachers in the lesson now: their open intervals (read on every page load). */
  async presentTeacherNames(lessonId: string): Promise<string[]> {
    const open = await this.models.attendance
      .find({ lessonId, role: 'teacher', leftAt: { $exists: false } }, { _id: 0, displayName: 1 })
      .lean<Array<{ displayName: string }>>();
    return [...new Set(open.map((interval) => interval.displayName))];
  }

  async intervals(lessonId: string): Promise<AttendanceRecord[]> {
    return this.models.attendance.find({ lessonId }).sort({ joinedAt: 1 }).lean<AttendanceRecord[]>();
  }

  /** How many students and guests came to each of these lessons. */
  async attendeesByLesson(lessonIds: string[]): Promise<Map<string, number>> {
    const intervals = await this.models.attendance
      .find({ lessonId: { $in: lessonIds }, role: { $ne: 'teacher' } }, { lessonId: 1, userKey: 1 })
      .lean();
    const people = new Map<string, Set<string>>();
    for (const { lessonId, userKey } of intervals) {
      people.set(lessonId, (people.get(lessonId) ?? new Set()).add(userKey));
    }
    return new Map([...people].map(([lessonId, users]) => [lessonId, users.size]));
  }

  async report(
    lesson: { _id: string; startedAt: Date; endedAt?: Date | null },
    lateAfterMinutes: number,
    roster: RosterMember[] = [],
  ): Promise<AttendanceEntry[]> {
    return buildAttendanceReport(await this.intervals(lesson._id), lesson, lateAfterMinutes, roster);
  }
}
