// Payloads of Aula's HTTP API that only the HTTP routes read; classroom
// settings live with the classroom (classroom/classroomSchemas.ts).
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
