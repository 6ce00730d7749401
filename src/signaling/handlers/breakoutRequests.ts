import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/** Breakout rooms: teachers open, fill, visit and close them; students choose and ask for help. */
export const breakoutRequests = defineRequests({
  'breakout:open': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.interaction.breakouts.open(payload);
      return ok;
    },
  },
  'breakout:assign': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.interaction.breakouts.assign(payload.participantId, payload.groupId);
      return ok;
    },
  },
  'breakout:choose': {
    states: JOINED,
    permission: Permission.TAKE_PART,
    run: async ({ classroom, participant, payload }) => {
      await classroom.interaction.breakouts.choose(participant, payload.groupId);
      return ok;
    },
  },
  'breakout:visit': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, participant, payload }) => {
      await classroom.interaction.breakouts.visit(participant, payload.groupId);
      return ok;
    },
  },
  'breakout:help': {
    states: JOINED,
    permission: Permission.RAISE_HAND,
    // It reaches every teacher's screen, as a chat message does.
    limit: 'chat',
    run: ({ classroom, participant }) => {
      classroom.interaction.breakouts.help(participant);
      return ok;
    },
  },
  'breakout:message': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, participant, payload }) => {
      classroom.interaction.breakouts.message(participant, payload.text);
      return ok;
    },
  },
  'breakout:close': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.interaction.breakouts.close(payload.countdownSeconds);
      return ok;
    },
  },
});
