import type { JoinSession } from '@/storage/joinSession';
import { api } from './http';

/** The launch put a one-time ticket in the URL fragment; this exchanges it for a join session. */
export function redeemLaunchTicket(ticket: string): Promise<JoinSession> {
  return api<JoinSession>('/api/launch/redeem', { method: 'POST', body: { ticket } });
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
