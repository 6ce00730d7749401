import { Permission } from '../../classroom/permissions.js';
import { JOINED, PRESENT, defineRequests, ok } from './defineRequest.js';

/** What a teacher does to others (anywhere in the class, or in the teacher's group) and to the settings. */
export const moderationRequests = defineRequests({
  'mod:mute': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.interaction.moderation.mute(payload.participantId, payload.source);
      return ok;
    },
  },
  'mod:muteAll': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, group }) => ({ muted: await classroom.interaction.moderation.muteAll(group) }),
  },
  'mod:remove': {
    states: JOINED,
    permission: Permission.MODERATE,
    // The one removed may be in any group; the removal holds in every one.
    run: async ({ classroom, payload }) => ({
      ok: true,
      ...(await classroom.interaction.moderation.remove(payload.participantId, payload)),
    }),
  },
  'mod:pin': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, group, payload }) => {
      await classroom.interaction.moderation.pin(group, payload.participantId);
      return ok;
    },
  },
  'mod:lowerAllHands': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ group }) => {
      group.hands.lowerAll();
      return ok;
    },
  },
  'mod:callNext': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ group, participant, payload }) => ({ called: group.hands.callNext(participant, payload.count) }),
  },
  'mod:giveFloor': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, group, payload }) => {
      await classroom.interaction.moderation.giveFloor(group, payload.participantId);
      return ok;
    },
  },
  'mod:settings': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.applySettings(payload);
      return ok;
    },
  },
});
