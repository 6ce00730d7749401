import { Permission } from '../../classroom/permissions.js';
import { JOINED, PRESENT, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** A teacher starts, locks and ends the lesson. */
export const lessonRequests = defineRequests({
  'lesson:start': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ room, participant }) => ({ lessonId: (await room.lesson.start(participant))._id }),
  },
  'lesson:end': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ room }) => {
      await room.main.lesson.end('teacher');
      return ok;
    },
  },
  'mod:lock': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.lesson.setLocked(payload.locked);
      return ok;
    },
  },
});
