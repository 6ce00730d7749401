import type { z } from 'zod';
import type { PollKind } from '@protocol';
import type { ClassroomSettingsUpdate, ClassroomView } from '@protocol';
import type { ClassroomPageInfo, guestAccessRequestSchema } from '@protocol';
import { api, apiFile, type ApiFile } from './http';

/** The classroom page's API, for its teacher; every call carries the join token. */

export type GuestAccessRequest = z.input<typeof guestAccessRequestSchema>;

/** Guest access as saved; a new password is in it once, right after it was set or generated. */
export type GuestAccessResult = ClassroomView['guestAccess'] & { password?: string };

export interface AttendanceRow {
  userKey: string;
  displayName: string;
  /** `expected`: on the course roster, never came. */
  role: 'teacher' | 'student' | 'guest' | 'expected';
  status: 'present' | 'late' | 'absent';
  minutes: number;
  joins: number;
}

export interface RosterRow {
  lmsUserId: string;
  name: string;
  role: string;
  status: 'expected' | 'present' | 'late' | 'absent';
}

/** A past (or the running) lesson, as the history lists it (the server's LessonSummary, dates as text). */
export interface LessonRow {
  id: string;
  status: 'live' | 'ended';
  startedAt: string;
  endedAt: string | null;
  durationMinutes: number;
  /** Students and guests who came (teachers not counted). */
  attendees: number;
}

/** A lesson's poll with its results (the server's PollSummary, dates as text). */
export interface PollRow {
  id: string;
  question: string;
  kind: PollKind;
  /** Keys (`yes`, `no`, `abstain`; `1`…`5`) for the fixed kinds, else the teacher's words. */
  options: string[];
  anonymous: boolean;
  startedAt: string;
  closedAt: string | null;
  answered: number;
  counts: number[];
  /** Named polls only: who chose what. */
  voters?: Array<{ name: string; choices: number[] }>;
}

const classroomPath = (classroomId: string) => `/api/classrooms/${classroomId}`;
/** A lesson's reports name it in the query; without one they are about the latest lesson. */
const lessonQuery = (lessonId?: string) => (lessonId ? `?lesson=${encodeURIComponent(lessonId)}` : '');
const lessonPath = (classroomId: string, lessonId: string) =>
  `${classroomPath(classroomId)}/lessons/${encodeURIComponent(lessonId)}`;

export async function getClassroom(classroomId: string, token: string): Promise<ClassroomView> {
  const result = await api<{ classroom: ClassroomView }>(classroomPath(classroomId), { token });
  return result.classroom;
}

/** What the page shows before joining: the class, its lesson and teachers, and whether we were removed. */
export function getClassroomPageInfo(classroomId: string, token: string): Promise<ClassroomPageInfo> {
  return api<ClassroomPageInfo>(classroomPath(classroomId), { token });
}

export type { ClassroomPageInfo };

export async function configureGuestAccess(
  classroomId: string,
  token: string,
  request: GuestAccessRequest,
): Promise<GuestAccessResult> {
  const result = await api<{ guestAccess: GuestAccessResult }>(`${classroomPath(classroomId)}/guest-access`, {
    method: 'POST',
    body: request,
    token,
  });
  return result.guestAccess;
}

/** A lesson's attendance: the named lesson's, else the latest one's. */
export async function getAttendance(
  classroomId: string,
  token: string,
  lessonId?: string,
): Promise<AttendanceRow[]> {
  const result = await api<{ entries: AttendanceRow[] }>(
    `${classroomPath(classroomId)}/attendance${lessonQuery(lessonId)}`,
    { token },
  );
  return result.entries;
}

/** The classroom's lessons, newest first: when, how long, how many came. */
export async function getLessons(classroomId: string, token: string): Promise<LessonRow[]> {
  const result = await api<{ lessons: LessonRow[] }>(`${classroomPath(classroomId)}/lessons`, { token });
  return result.lessons;
}

/** A lesson's polls with their results, oldest first. */
export async function getLessonPolls(
  classroomId: string,
  token: string,
  lessonId: string,
): Promise<PollRow[]> {
  const result = await api<{ polls: PollRow[] }>(`${lessonPath(classroomId, lessonId)}/polls`, { token });
  return result.polls;
}

/** A lesson's polls as a CSV file. */
export function getLessonPollsCsv(classroomId: string, token: string, lessonId: string): Promise<ApiFile> {
  return apiFile(`${lessonPath(classroomId, lessonId)}/polls.csv`, token);
}

/** The course roster from the LMS, each member with their status in the latest lesson. */
export async function getRoster(classroomId: string, token: string): Promise<RosterRow[]> {
  const result = await api<{ members: RosterRow[] }>(`${classroomPath(classroomId)}/roster`, { token });
  return result.members;
}

/** A lesson's attendance (the named one's, else the latest one's) as a CSV file. */
export function getAttendanceCsv(classroomId: string, token: string, lessonId?: string): Promise<ApiFile> {
  return apiFile(`${classroomPath(classroomId)}/attendance.csv${lessonQuery(lessonId)}`, token);
}

/**
 * Said while the page unloads, when no request can wait for an answer: the tab left the lesson.
 * It names the classroom and the node like the page's connection does, so a load balancer sends
 * it to the node that serves the classroom.
 */
export function sendLeaveBeacon(
  classroomId: string,
  goodbye: { token: string; participantId: string; key: string },
  node?: string,
): void {
  const body = new Blob([JSON.stringify(goodbye)], { type: 'application/json' });
  const route = new URLSearchParams({ classroom: classroomId, ...(node ? { node } : {}) });
  navigator.sendBeacon(`/api/classrooms/${encodeURIComponent(classroomId)}/leave?${route}`, body);
}

/** Changes the classroom's settings (the teacher's); answers the classroom as saved. */
export async function updateClassroom(
  classroomId: string,
  token: string,
  changes: ClassroomSettingsUpdate,
): Promise<ClassroomView> {
  const result = await api<{ classroom: ClassroomView }>(classroomPath(classroomId), {
    method: 'PATCH',
    body: changes,
    token,
  });
  return result.classroom;
}
