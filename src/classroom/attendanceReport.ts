import type { AttendanceRecord } from '../store/models/index.js';
import type { AulaRole } from './permissions.js';

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

type Span = { from: number; to: number };

/** Merges overlapping intervals (two tabs of one student count once). */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else out.push({ ...span });
  }
  return out;
}

const total = (spans: Span[]) => spans.reduce((sum, span) => sum + span.to - span.from, 0);

/** Time present: the union of a person's intervals, less the gaps when their connection dropped. */
export function presentMs(intervals: Span[], gaps: Span[] = []): number {
  const present = merged(intervals);
  const away = merged(gaps).flatMap((gap) =>
    present
      .map((span) => ({ from: Math.max(span.from, gap.from), to: Math.min(span.to, gap.to) }))
      .filter((overlap) => overlap.to > overlap.from),
  );
  return total(present) - total(merged(away));
}

/**
 * One line per person: present, late (first join after the grace minutes) or
 * absent (on the roster, never joined). Open intervals count until `until`.
 */
export function buildAttendanceReport(
  intervals: AttendanceRecord[],
  lesson: { startedAt: Date; endedAt?: Date | null },
  lateAfterMinutes: number,
  roster: RosterMember[] = [],
  now = new Date(),
): AttendanceEntry[] {
  const until = (lesson.endedAt ?? now).getTime();
  const lateAfter = lesson.startedAt.getTime() + lateAfterMinutes * 60_000;
  const byUser = new Map<string, AttendanceRecord[]>();
  for (const interval of [...intervals].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())) {
    byUser.set(interval.userKey, [...(byUser.get(interval.userKey) ?? []), interval]);
  }
  const entries: AttendanceEntry[] = [];
  for (const [userKey, list] of byUser) {
    const first = list[0]!;
    const ms = presentMs(
      list.map((i) => ({ from: i.joinedAt.getTime(), to: (i.leftAt ?? new Date(until)).getTime() })),
      list.flatMap((i) => (i.gaps ?? []).map((gap) => ({ from: gap.from.getTime(), to: gap.to.getTime() }))),
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
  return entries.sort((a, b) => order[a.role] - order[b.role] || a.displayName.localeCompare(b.displayName));
}

function csvField(value: string): string {
  // Leading =, +, - or @ would run as a formula in spreadsheets.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV table (RFC 4180 line ends) whose cells cannot run as spreadsheet formulas. */
export function csvTable(header: string[], rows: string[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function attendanceCsv(entries: AttendanceEntry[]): string {
  const header = ['name', 'lms_user_id', 'role', 'status', 'first_joined', 'last_left', 'minutes', 'joins'];
  const rows = entries.map((entry) => [
    entry.displayName,
    entry.lmsUserId ?? '',
    entry.role,
    entry.status,
    entry.firstJoinedAt?.toISOString() ?? '',
    // Someone without a last leave is still in the lesson; absent people never joined.
    entry.lastLeftAt?.toISOString() ?? (entry.status === 'absent' ? '' : 'still present'),
    String(entry.minutes),
    String(entry.joins),
  ]);
  return csvTable(header, rows);
}
