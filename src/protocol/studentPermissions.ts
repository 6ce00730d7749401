import { z } from 'zod';

/**
 * What a teacher can allow or forbid students, defined once: the settings
 * API, the signalling protocol, the database and the permission check all
 * read this schema, and the client shows one switch per key.
 */
export const studentPermissionsSchema = z.object({
  unmute: z.boolean(),
  camera: z.boolean(),
  screenShare: z.boolean(),
  chatPublic: z.boolean(),
  chatPrivate: z.boolean(),
});

export type StudentPermissions = z.infer<typeof studentPermissionsSchema>;
export type StudentPermissionKey = keyof StudentPermissions;

export const STUDENT_PERMISSION_KEYS = studentPermissionsSchema.keyof().options;

/** A new classroom: students may talk, show themselves and chat; screen sharing is the teacher's. */
export const DEFAULT_STUDENT_PERMISSIONS: StudentPermissions = {
  unmute: true,
  camera: true,
  screenShare: false,
  chatPublic: true,
  chatPrivate: true,
};

/** A partial change of student permissions, as the settings API and `mod:settings` accept it. */
export const studentPermissionsChangeSchema = studentPermissionsSchema.partial().strict();
