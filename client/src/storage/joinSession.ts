import { readStored, writeStored } from './webStorage';

/** What a launch or a guest join hands the classroom page: a short-lived join token. */
export interface JoinSession {
  token: string;
  expiresAt: number;
  classroomId: string;
  role: 'teacher' | 'student' | 'guest';
  name: string;
}

const storageKey = (classroomId: string) => `aula.session.${classroomId}`;

/**
 * The token lives in sessionStorage (per tab, gone with the tab), so a reload
 * keeps the user in class without asking the LMS again. Never localStorage:
 * another tab or a later visitor on a shared computer must not inherit it.
 */
export function storedSession(classroomId: string): JoinSession | undefined {
  const raw = readStored('session', storageKey(classroomId));
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as JoinSession;
    return session.expiresAt * 1000 > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function storeSession(session: JoinSession): void {
  writeStored('session', storageKey(session.classroomId), JSON.stringify(session));
}

export function forgetSession(classroomId: string): void {
  writeStored('session', storageKey(classroomId), undefined);
  forgetResume(classroomId);
}

/** Who this tab was in the lesson: after a dropped connection or a reload it continues as them. */
export interface ResumeTicket {
  participantId: string;
  key: string;
}

const resumeKey = (classroomId: string) => `aula.resume.${classroomId}`;

export function storedResume(classroomId: string): ResumeTicket | undefined {
  const raw = readStored('session', resumeKey(classroomId));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as ResumeTicket;
  } catch {
    return undefined;
  }
}

export function storeResume(classroomId: string, ticket: ResumeTicket): void {
  writeStored('session', resumeKey(classroomId), JSON.stringify(ticket));
}

export function forgetResume(classroomId: string): void {
  writeStored('session', resumeKey(classroomId), undefined);
}
