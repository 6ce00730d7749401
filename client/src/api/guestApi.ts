import type { z } from 'zod';
import type { guestJoinRequestSchema } from '@protocol';
import type { JoinSession } from '@/storage/joinSession';
import { api } from './http';

export type GuestJoinRequest = z.input<typeof guestJoinRequestSchema>;

/** An outsider with the teacher's link and password gets a guest's join session. */
export async function joinAsGuest(request: GuestJoinRequest): Promise<JoinSession> {
  const result = await api<Pick<JoinSession, 'token' | 'expiresAt' | 'classroomId'>>('/api/guest/join', {
    method: 'POST',
    body: request,
  });
  return { ...result, role: 'guest', name: request.displayName };
}
