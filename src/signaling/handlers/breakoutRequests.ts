import { Permission } from '../../classroom/permissions.js';
import type { Breakouts } from '../../classroom/live/Breakouts.js';
import type { Room } from '../../classroom/live/Room.js';
import { JOINED, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** The class's breakout rooms, reached from the main room or any group. */
const breakoutsOf = (room: Room): Breakouts => room.main.breakouts!;

/** Breakout rooms: teachers open, fill, visit and close them; students choose and ask for help. */
export const breakoutRequests = defineRequests({
  'breakout:open': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await breakoutsOf(room).open(payload);
      return ok;
    },
  },
  'breakout:assign': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await breakoutsOf(room).assign(payload.participantId, payload.groupId);
      return ok;
    },
  },
  'breakout:choose': {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await breakoutsOf(room).choose(participant, payload.groupId);
      return ok;
    },
  },
  'breakout:visit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, participant, payload }) => {
      await breakoutsOf(room).visit(participant, payload.groupId);
      return ok;
    },
  },
  'breakout:help': {
    states: JOINED,
    permission: Permission.RAISE_HAND,
    // It reaches every teacher's screen, as a chat message does.
    limit: 'chat',
    run: ({ room, participant }) => {
      breakoutsOf(room).help(participant, room);
      return ok;
    },
  },
  'breakout:message': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, participant, payload }) => {
      breakoutsOf(room).message(participant, payload.text);
      return ok;
    },
  },
  'breakout:close': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, payload }) => {
      breakoutsOf(room).close(payload.countdownSeconds);
      return ok;
    },
  },
});
