import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** Polls: teachers start, close and share them; everyone in the lesson answers. */
export const pollRequests = defineRequests({
  'poll:start': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, participant, payload }) => ({ pollId: room.polls.start(participant, payload) }),
  },
  'poll:answer': {
    states: JOINED,
    run: ({ room, participant, payload }) => {
      room.polls.answer(participant, payload.pollId, payload.choices);
      return ok;
    },
  },
  'poll:close': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, payload }) => {
      room.polls.close(payload.pollId);
      return ok;
    },
  },
  'poll:share': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, payload }) => {
      room.polls.share(payload.pollId, payload.shared);
      return ok;
    },
  },
});
