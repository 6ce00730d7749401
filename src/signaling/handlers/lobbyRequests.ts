import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/** A teacher in the lesson lets people in from the waiting room, or not. */
export const lobbyRequests = defineRequests({
  'lobby:admit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.membership.lobby.admit(payload.participantId);
      return ok;
    },
  },
  'lobby:admitAll': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom }) => classroom.membership.lobby.admitAll(),
  },
  'lobby:autoAdmit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.membership.lobby.setAutoAdmit(payload.enabled);
      return ok;
    },
  },
  'lobby:deny': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.membership.lobby.deny(payload.participantId);
      return ok;
    },
  },
});
