import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

/** Raising and lowering hands in the participant's group; lowering someone else's is moderation. */
export const handRequests = defineRequests({
  'hand:raise': {
    states: JOINED,
    permission: Permission.RAISE_HAND,
    run: ({ group, participant }) => ({ queue: group.hands.raise(participant) }),
  },
  'hand:lower': {
    states: JOINED,
    permission: ({ participant, payload }) =>
      payload.participantId && payload.participantId !== participant.id ? Permission.MODERATE : undefined,
    run: ({ group, participant, payload }) => ({
      queue: group.hands.lower(
        payload.participantId ? group.members.target(payload.participantId) : participant,
      ),
    }),
  },
});
