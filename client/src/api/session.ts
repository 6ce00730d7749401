import { readStored, writeStored } from '../storage/webStorage';
import { api } from './http';

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
}

/** The launch put a one-time ticket in the URL fragment; exchange it and drop it from the address bar. */
export async function redeemLaunchTicket(ticket: string): Promise<JoinSession> {
  const session = await api<JoinSession>('/api/launch/redeem', { method: 'POST', body: { ticket } });
  storeSession(session);
  return session;
}

export async function joinAsGuest(link: string, password: string, displayName: string): Promise<JoinSession> {
  const result = await api<{ token: string; expiresAt: number; classroomId: string }>('/api/guest/join', {
    method: 'POST',
    body: { link, password, displayName },
  });
  const session: JoinSession = { ...result, role: 'guest', name: displayName };
  storeSession(session);
  return session;
}

/** Reads and removes `#ticket=…` so it is not bookmarked, shared or sent as a referrer. */
export function takeTicketFromHash(): string | undefined {
  const match = /(?:^#|&)ticket=([^&]+)/.exec(window.location.hash);
  if (!match) return undefined;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return decodeURIComponent(match[1]!);
}
