import { requireActive } from '../../classroom/activation.js';
import { defineRequests } from './defineRequest.js';

/** Entering and leaving, and keeping the page's token fresh. */
export const sessionRequests = defineRequests({
  join: {
    states: ['connected'],
    permission: null,
    run: async ({ classroom, participant, payload, adopt }) => {
      // A resumed page continues as the participant it was, wherever in the class that is.
      const joined = await classroom.join(participant, payload.resume);
      adopt(joined.participant);
      return joined.result;
    },
  },
  leave: {
    states: ['connected', 'lobby', 'joined'],
    permission: null,
    run: async ({ classroom, participant }) => {
      await classroom.membership.membership.leave(participant, 'left');
      return { left: true };
    },
  },
  'session:refresh': {
    // A refused participant (removed) gets no fresh token to come back with.
    states: ['connected', 'lobby', 'joined'],
    permission: null,
    run: async ({ classroom, claims, tokens }) => {
      await requireActive(classroom.ctx.services.isActive, classroom.classroom);
      return tokens.mint(claims);
    },
  },
});
