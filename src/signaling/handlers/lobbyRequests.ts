import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** A teacher in the lesson lets people in from the waiting room, or not. */
export const lobbyRequests = defineRequests({
  'lobby:admit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.lobby.admit(payload.participantId);
      return ok;
    },
  },
  'lobby:admitAll': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room }) => room.lobby.admitAll(),
  },
  'lobby:autoAdmit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, payload }) => {
      room.lobby.setAutoAdmit(payload.enabled);
      return ok;
    },
  },
  'lobby:deny': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.lobby.deny(payload.participantId);
      return ok;
    },
  },
});
