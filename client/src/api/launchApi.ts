import type { JoinSession } from '@/storage/joinSession';
import { api } from './http';

/**
 * The launch (or a frame's hand-over) put a one-time ticket in the URL
 * fragment; this exchanges it for a join session. The page names its
 * classroom: a ticket for another classroom is refused.
 */
export function redeemLaunchTicket(ticket: string, classroomId: string): Promise<JoinSession> {
  return api<JoinSession>('/api/launch/redeem', { method: 'POST', body: { ticket, classroomId } });
}

/** A single-use ticket, valid for a minute, that opens this classroom as this person in a new window. */
export function requestWindowTicket(session: JoinSession): Promise<{ ticket: string }> {
  return api<{ ticket: string }>(`/api/classrooms/${encodeURIComponent(session.classroomId)}/handover`, {
    method: 'POST',
    token: session.token,
  });
}

/**
 * Reads and removes `#ticket=…` (a launch's or a deep-linking request's) so it
 * is not bookmarked, shared or sent as a referrer.
 */
export function takeTicketFromHash(): string | undefined {
  const match = /(?:^#|&)ticket=([^&]+)/.exec(window.location.hash);
  if (!match) return undefined;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return decodeURIComponent(match[1]!);
}
