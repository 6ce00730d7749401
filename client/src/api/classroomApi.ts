import type { z } from 'zod';
import type { ClassroomView } from '../../../src/classroom/classroomSchemas';
import type { ClassroomPageInfo, guestAccessRequestSchema } from '../../../src/http/apiSchemas';
import { api, apiFile, type ApiFile } from './http';

/** The classroom page's API, for its teacher; every call carries the join token. */

export type GuestAccessRequest = z.input<typeof guestAccessRequestSchema>;

/** Guest access as saved; a new password is in it once, right after it was set or generated. */
export type GuestAccessResult = ClassroomView['guestAccess'] & { password?: string };

export interface AttendanceRow {
  userKey: string;
  displayName: string;
  role: string;
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

const classroomPath = (classroomId: string) => `/api/classrooms/${classroomId}`;

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

/** The latest lesson's attendance. */
export async function getAttendance(classroomId: string, token: string): Promise<AttendanceRow[]> {
  const result = await api<{ entries: AttendanceRow[] }>(`${classroomPath(classroomId)}/attendance`, {
    token,
  });
  return result.entries;
}

/** The course roster from the LMS, each member with their status in the latest lesson. */
export async function getRoster(classroomId: string, token: string): Promise<RosterRow[]> {
  const result = await api<{ members: RosterRow[] }>(`${classroomPath(classroomId)}/roster`, { token });
  return result.members;
}

/** The latest lesson's attendance as a CSV file; undefined when the server refused it. */
export function getAttendanceCsv(classroomId: string, token: string): Promise<ApiFile | undefined> {
  return apiFile(`${classroomPath(classroomId)}/attendance.csv`, token);
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
