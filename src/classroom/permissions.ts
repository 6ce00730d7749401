import type { StudentPermissionKey, StudentPermissions } from '../protocol/index.js';

/** What a participant may do in a classroom. Checked in the server per request and per media source. */
export enum Permission {
  UNMUTE = 'unmute',
  CAMERA = 'camera',
  SHARE_SCREEN = 'screenShare',
  CHAT_PUBLIC = 'chatPublic',
  CHAT_PRIVATE = 'chatPrivate',
  RAISE_HAND = 'raiseHand',
  /** Taking part in what the teacher runs: answering a poll, choosing a breakout group. */
  TAKE_PART = 'takePart',
  MODERATE = 'moderate',
  /** Typing live captions: teachers, and whom a teacher made a captioner. */
  CAPTION = 'caption',
}

export type AulaRole = 'teacher' | 'student' | 'guest';

export interface PermissionSubject {
  role: AulaRole;
  /** Mentors and unknown LMS roles: a student who may only listen, read and raise a hand. */
  restricted: boolean;
}

/** The classroom setting behind each permission a teacher can switch for students. */
const STUDENT_PERMISSION: Record<StudentPermissionKey, Permission> = {
  unmute: Permission.UNMUTE,
  camera: Permission.CAMERA,
  screenShare: Permission.SHARE_SCREEN,
  chatPublic: Permission.CHAT_PUBLIC,
  chatPrivate: Permission.CHAT_PRIVATE,
};

export function permissionsOf(
  subject: PermissionSubject,
  classroom: StudentPermissions,
  /**
   * The teacher gave this participant the floor (they may unmute even if students generally may not),
   * or made them a captioner (of any role: a TA, a student, an interpreter who came as a guest).
   */
  now: { hasFloor: boolean; captioner?: boolean } = { hasFloor: false },
): Set<Permission> {
  if (subject.role === 'teacher') return new Set(Object.values(Permission));
  const granted = new Set<Permission>([Permission.RAISE_HAND, Permission.TAKE_PART]);
  if (!subject.restricted) {
    for (const [setting, permission] of Object.entries(STUDENT_PERMISSION)) {
      if (classroom[setting as StudentPermissionKey]) granted.add(permission);
    }
  }
  if (now.hasFloor) granted.add(Permission.UNMUTE);
  if (now.captioner) granted.add(Permission.CAPTION);
  return granted;
}

export type MediaSource = 'mic' | 'camera' | 'screen' | 'screenAudio';

/** The permission each media source needs. */
export const SOURCE_PERMISSION: Record<MediaSource, Permission> = {
  mic: Permission.UNMUTE,
  camera: Permission.CAMERA,
  screen: Permission.SHARE_SCREEN,
  screenAudio: Permission.SHARE_SCREEN,
};
