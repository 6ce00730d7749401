import { randomId } from '../shared/ids.js';
import type { AttendanceRecord, Models } from '../store/models/index.js';
import type { AulaRole } from './permissions.js';

export interface AttendanceOptions {
  retentionMs: number;
  /** A participant not seen for this long is considered gone (its process crashed). */
  staleAfterMs: number;
}

export interface AttendanceEntry {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole | 'expected';
  status: 'present' | 'late' | 'absent';
  firstJoinedAt?: Date;
  lastLeftAt?: Date;
  minutes: number;
  joins: number;
}

export interface RosterMember {
  lmsUserId: string;
  userKey: string;
  name?: string;
  role: 'teacher' | 'student';
}

export interface ParticipantIdentity {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole;
}

/** Merges overlapping intervals (two tabs of one student count once). */
function presentMs(intervals: Array<{ from: number; to: number }>): number {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  let total = 0;
  let current: { from: number; to: number } | undefined;
  for (const interval of sorted) {
    if (current && interval.from <= current.to) {
      current.to = Math.max(current.to, interval.to);
    } else {
      if (current) total += current.to - current.from;
      current = { ...interval };
    }
  }
  if (current) total += current.to - current.from;
  return total;
}

/** Join and leave of every participant in every lesson; the base of the attendance view and grades. */
export class AttendanceService {
  constructor(
    private readonly models: Models,
    private readonly options: AttendanceOptions,
  ) {}

  async open(classroomId: string, lessonId: string, who: ParticipantIdentity): Promise<string> {
    const now = new Date();
    const id = randomId();
    await this.models.attendance.create({
      _id: id,
      classroomId,
      lessonId,
      userKey: who.userKey,
      lmsUserId: who.lmsUserId,
      displayName: who.displayName,
      role: who.role,
      joinedAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.options.retentionMs),
    });
    return id;
  }

  async close(intervalId: string): Promise<void> {
    const now = new Date();
    await this.models.attendance.updateOne(
      { _id: intervalId, leftAt: { $exists: false } },
      { $set: { leftAt: now, lastSeenAt: now } },
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

  async intervals(lessonId: string): Promise<AttendanceRecord[]> {
    return this.models.attendance.find({ lessonId }).sort({ joinedAt: 1 }).lean();
  }

  /**
   * One line per person: present, late (first join after the grace minutes) or
   * absent (on the roster, never joined). Open intervals count until now.
   */
  async report(
    lesson: { _id: string; startedAt: Date; endedAt?: Date | null },
    lateAfterMinutes: number,
    roster: RosterMember[] = [],
  ): Promise<AttendanceEntry[]> {
    const until = (lesson.endedAt ?? new Date()).getTime();
    const lateAfter = lesson.startedAt.getTime() + lateAfterMinutes * 60_000;
    const byUser = new Map<string, AttendanceRecord[]>();
    for (const interval of await this.intervals(lesson._id)) {
      const list = byUser.get(interval.userKey) ?? [];
      list.push(interval);
      byUser.set(interval.userKey, list);
    }
    const entries: AttendanceEntry[] = [];
    for (const [userKey, list] of byUser) {
      const first = list[0]!;
      const ms = presentMs(
        list.map((i) => ({ from: i.joinedAt.getTime(), to: (i.leftAt ?? new Date(until)).getTime() })),
      );
      const lastLeft = list.every((i) => i.leftAt)
        ? new Date(Math.max(...list.map((i) => i.leftAt!.getTime())))
        : undefined;
      entries.push({
        userKey,
        lmsUserId: first.lmsUserId ?? undefined,
        displayName: list[list.length - 1]!.displayName,
        role: first.role,
        status: first.role !== 'teacher' && first.joinedAt.getTime() > lateAfter ? 'late' : 'present',
        firstJoinedAt: first.joinedAt,
        lastLeftAt: lastLeft,
        minutes: Math.round(ms / 6000) / 10,
        joins: list.length,
      });
    }
    for (const member of roster) {
      if (member.role !== 'student' || byUser.has(member.userKey)) continue;
      entries.push({
        userKey: member.userKey,
        lmsUserId: member.lmsUserId,
        displayName: member.name ?? member.lmsUserId,
        role: 'expected',
        status: 'absent',
        minutes: 0,
        joins: 0,
      });
    }
    const order = { teacher: 0, student: 1, guest: 2, expected: 3 } as const;
    return entries.sort(
      (a, b) => order[a.role] - order[b.role] || a.displayName.localeCompare(b.displayName),
    );
  }
}

function csvField(value: string): string {
  // Leading =, +, - or @ would run as a formula in spreadsheets.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function attendanceCsv(entries: AttendanceEntry[]): string {
  const header = ['name', 'lms_user_id', 'role', 'status', 'first_joined', 'last_left', 'minutes', 'joins'];
  const rows = entries.map((entry) => [
    entry.displayName,
    entry.lmsUserId ?? '',
    entry.role,
    entry.status,
    entry.firstJoinedAt?.toISOString() ?? '',
    entry.lastLeftAt?.toISOString() ?? '',
    String(entry.minutes),
    String(entry.joins),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
