// Payloads of Aula's HTTP API that the client shares; classroom
// settings are in classroomSchemas.ts.
import { z } from 'zod';

export const guestAccessRequestSchema = z
  .object({
    enabled: z.boolean(),
    linkName: z.string().max(64).optional(),
    password: z.string().max(256).optional(),
    regenerateLink: z.boolean().optional(),
    regeneratePassword: z.boolean().optional(),
  })
  .strict();

export const guestJoinRequestSchema = z
  .object({
    link: z.string().max(64),
    password: z.string().max(256),
    displayName: z.string().max(200),
  })
  .strict();

/** What a closing classroom tab sends in its beacon. */
export const leaveBeaconSchema = z
  .object({
    token: z.string().min(1).max(4096),
    participantId: z.string().min(1).max(128),
    key: z.string().min(1).max(64),
  })
  .strict();

/**
 * What `GET /api/classrooms/:id` tells the classroom page before it joins: the
 * class, the lesson's state with its teachers present, and whether this user
 * was removed from the running lesson (then there is nothing to check devices for).
 */
export interface ClassroomPageInfo {
  classroom: { id: string; title: string; contextTitle?: string | null; endToEndEncryption: boolean };
  me: { role: 'teacher' | 'student' | 'guest'; name: string; removed: boolean };
  lesson: { id: string; startedAt: string; locked: boolean; teachers: string[] } | null;
}
