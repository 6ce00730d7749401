// Payloads of Aula's HTTP API, shared with the client so both validate with the same schemas.
import { z } from 'zod';

export const studentPermissionsSchema = z.object({
  unmute: z.boolean(),
  camera: z.boolean(),
  screenShare: z.boolean(),
  chatPublic: z.boolean(),
  chatPrivate: z.boolean(),
});

export const classroomTitleSchema = z.string().trim().min(1).max(120);
export const seatCapSchema = z.number().int().min(1).max(50);

/** What a teacher may change about a classroom. */
export const classroomSettingsSchema = z
  .object({
    title: classroomTitleSchema,
    seatCap: seatCapSchema,
    reservedSeats: z.number().int().min(0).max(50),
    lobbyEnabled: z.boolean(),
    lectureMode: z.boolean(),
    lateAfterMinutes: z.number().int().min(0).max(240),
    studentPermissions: studentPermissionsSchema.partial().strict(),
    grading: z
      .object({ enabled: z.boolean(), thresholdMinutes: z.number().int().min(1).max(600) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type ClassroomSettingsUpdate = z.infer<typeof classroomSettingsSchema>;

/** A classroom created in the deep-linking picker. */
export const newClassroomSchema = z
  .object({
    title: classroomTitleSchema,
    seatCap: seatCapSchema,
    guestAccess: z.boolean(),
    lectureMode: z.boolean(),
  })
  .strict();

export type NewClassroom = z.infer<typeof newClassroomSchema>;

export const guestAccessRequestSchema = z
  .object({
    enabled: z.boolean(),
    linkName: z.string().max(64).optional(),
    password: z.string().max(256).optional(),
    regenerateLink: z.boolean().optional(),
  })
  .strict();

export const guestJoinRequestSchema = z
  .object({
    link: z.string().max(64),
    password: z.string().max(256),
    displayName: z.string().max(200),
  })
  .strict();

export interface ClassroomView {
  id: string;
  title: string;
  contextTitle?: string;
  seatCap: number;
  reservedSeats: number;
  lobbyEnabled: boolean;
  lectureMode: boolean;
  lateAfterMinutes: number;
  studentPermissions: z.infer<typeof studentPermissionsSchema>;
  guestAccess: { enabled: boolean; linkName?: string; url?: string };
  grading: { enabled: boolean; thresholdMinutes: number; available: boolean };
}
