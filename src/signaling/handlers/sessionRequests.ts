import { requireActive } from '../../classroom/activation.js';
import { defineRequests } from './defineRequest.js';

/** Entering and leaving, and keeping the page's token fresh. */
export const sessionRequests = defineRequests({
  join: {
    states: ['connected'],
    run: async ({ room, participant, payload, continueAs }) => {
      if (payload.resume) {
        const resumed = await room.reconnection.resume(participant, payload.resume);
        if (resumed) {
          continueAs(resumed.participant);
          return resumed.result;
        }
      }
      return room.membership.join(participant);
    },
  },
  leave: {
    states: ['connected', 'lobby', 'joined'],
    run: async ({ room, participant }) => {
      await room.membership.leave(participant, 'left');
      return { left: true };
    },
  },
  'session:refresh': {
    // A refused participant (removed) gets no fresh token to come back with.
    states: ['connected', 'lobby', 'joined'],
    run: async ({ room, claims, tokens }) => {
      await requireActive(room.ctx.services.isActive, room.ctx.classroom);
      return tokens.mint(claims);
    },
  },
});
