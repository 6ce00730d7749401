import type { NewClassroom } from '@protocol';
import { api } from './http';

/** The deep-linking picker's API; the ticket from the LMS's request is its only credential. */

export interface DeepLinkChoices {
  contextTitle: string | null;
  defaultSeatCap: number;
  classrooms: Array<{
    id: string;
    title: string;
    seatCap: number;
    lectureMode: boolean;
    guestAccess: boolean;
  }>;
}

export type DeepLinkChoice = { classroomId: string } | { newClassroom: NewClassroom };

/** The classroom chosen, and a new classroom's guest password to note down once. */
export interface DeepLinkResult {
  returnUrl: string;
  guestPassword?: string;
}

/** The signed content item for the LMS, signed when the teacher continues (it lives a minute). */
export interface DeepLinkResponse {
  returnUrl: string;
  jwt: string;
}

const ticketPath = (ticket: string) => `/api/deep-link/${encodeURIComponent(ticket)}`;

export function getDeepLinkChoices(ticket: string): Promise<DeepLinkChoices> {
  return api<DeepLinkChoices>(ticketPath(ticket));
}

export function chooseDeepLink(ticket: string, choice: DeepLinkChoice): Promise<DeepLinkResult> {
  return api<DeepLinkResult>(ticketPath(ticket), { method: 'POST', body: choice });
}

export function signDeepLinkResponse(ticket: string): Promise<DeepLinkResponse> {
  return api<DeepLinkResponse>(`${ticketPath(ticket)}/response`, { method: 'POST' });
}
