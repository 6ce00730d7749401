// What a classroom's settings may be, shared by the settings API, the
// signalling protocol's `mod:settings`, the deep-linking picker and the client.
import { z } from 'zod';
import { studentPermissionsChangeSchema, type StudentPermissions } from './studentPermissions.js';

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
    recordingAllowed: z.boolean(),
    lateAfterMinutes: z.number().int().min(0).max(240),
    /** End-to-end encrypted lessons (classrooms up to E2EE_MAX_SEATS seats); changes between lessons only. */
    endToEndEncryption: z.boolean(),
    /** Whether guests may join an encrypted lesson. */
    encryptedGuestsAllowed: z.boolean(),
    studentPermissions: studentPermissionsChangeSchema,
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

/** A classroom as its teacher's page shows it. */
export interface ClassroomView {
  id: string;
  title: string;
  contextTitle?: string;
  seatCap: number;
  reservedSeats: number;
  lobbyEnabled: boolean;
  lectureMode: boolean;
  /** The teacher allows recording lessons; `recordingAvailable`: the operator switched recording on. */
  recordingAllowed: boolean;
  recordingAvailable: boolean;
  lateAfterMinutes: number;
  endToEndEncryption: boolean;
  encryptedGuestsAllowed: boolean;
  studentPermissions: StudentPermissions;
  guestAccess: { enabled: boolean; linkName?: string; url?: string };
  grading: { enabled: boolean; thresholdMinutes: number; available: boolean };
}
