import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/** The class's poll: teachers start, close and share it; everyone in the lesson answers, in any group. */
export const pollRequests = defineRequests({
  'poll:start': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, participant, payload }) => ({
      pollId: classroom.interaction.polls.start(participant, payload),
    }),
  },
  'poll:answer': {
    states: JOINED,
    permission: Permission.TAKE_PART,
    run: ({ classroom, participant, payload }) => {
      classroom.interaction.polls.answer(participant, payload.pollId, payload.choices);
      return ok;
    },
  },
  'poll:close': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.interaction.polls.close(payload.pollId);
      return ok;
    },
  },
  'poll:share': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.interaction.polls.share(payload.pollId, payload.shared);
      return ok;
    },
  },
});
