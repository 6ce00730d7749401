import type { NewClassroom } from '../../../src/classroom/classroomSchemas';
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

/** The signed content item for the LMS, and a new classroom's guest password to note down once. */
export interface DeepLinkResult {
  returnUrl: string;
  jwt: string;
  guestPassword?: string;
}

const ticketPath = (ticket: string) => `/api/deep-link/${encodeURIComponent(ticket)}`;

export function getDeepLinkChoices(ticket: string): Promise<DeepLinkChoices> {
  return api<DeepLinkChoices>(ticketPath(ticket));
}

export function chooseDeepLink(ticket: string, choice: DeepLinkChoice): Promise<DeepLinkResult> {
  return api<DeepLinkResult>(ticketPath(ticket), { method: 'POST', body: choice });
}
