import { Permission } from '../../classroom/permissions.js';
import { JOINED, PRESENT, defineRequests, ok } from './defineRequest.js';

/** A teacher starts, locks and ends the lesson (of the whole class, wherever the teacher is). */
export const lessonRequests = defineRequests({
  'lesson:start': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom, participant }) => ({ lessonId: await classroom.startLesson(participant) }),
  },
  'lesson:end': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom }) => {
      await classroom.endLesson('teacher');
      return ok;
    },
  },
  'mod:lock': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.interaction.moderation.lock(payload.locked);
      return ok;
    },
  },
});
