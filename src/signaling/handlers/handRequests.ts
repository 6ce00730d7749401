import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

/** Raising and lowering hands; lowering someone else's is moderation. */
export const handRequests = defineRequests({
  'hand:raise': {
    states: JOINED,
    permission: Permission.RAISE_HAND,
    run: ({ room, participant }) => ({ queue: room.hands.raise(participant) }),
  },
  'hand:lower': {
    states: JOINED,
    permission: ({ participant, payload }) =>
      payload.participantId && payload.participantId !== participant.id ? Permission.MODERATE : undefined,
    run: ({ room, participant, payload }) => {
      const target =
        payload.participantId && payload.participantId !== participant.id
          ? room.ctx.roster.target(payload.participantId)
          : participant;
      return { queue: room.hands.lower(target) };
    },
  },
});
