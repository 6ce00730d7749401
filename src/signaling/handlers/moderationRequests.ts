import { Permission } from '../../classroom/permissions.js';
import type { Room } from '../../classroom/live/Room.js';
import { JOINED, PRESENT, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** The room of the class where someone is; the asking room when they are nowhere in the lesson (the lobby). */
function whereIs(room: Room, participantId: string): Room {
  try {
    return room.main.breakouts!.locate(participantId).room;
  } catch {
    return room.main;
  }
}

/** What a teacher does to others and to the room's settings. */
export const moderationRequests = defineRequests({
  'mod:mute': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.moderation.mute(payload.participantId, payload.source);
      return ok;
    },
  },
  'mod:muteAll': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room }) => ({ muted: await room.moderation.muteAll() }),
  },
  'mod:remove': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      // The one removed may be in a breakout room; the removal holds in every room.
      const where = whereIs(room, payload.participantId);
      const target = where.ctx.roster.get(payload.participantId);
      await where.moderation.remove(payload.participantId);
      if (target) await room.main.breakouts?.removeEverywhere(target.userKey, where);
      if (!payload.changeGuestPassword || target?.role !== 'guest') return ok;
      const { password } = await room.ctx.services.guests.configure(room.classroomId, {
        enabled: true,
        regeneratePassword: true,
      });
      return { ok: true, ...(password ? { guestPassword: password } : {}) } as const;
    },
  },
  'mod:pin': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.spotlight.pin(payload.participantId);
      room.views.broadcastState();
      return ok;
    },
  },
  'mod:lowerAllHands': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room }) => {
      room.hands.lowerAll();
      return ok;
    },
  },
  'mod:callNext': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ room, participant, payload }) => ({ called: room.hands.callNext(participant, payload.count) }),
  },
  'mod:giveFloor': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.moderation.giveFloor(payload.participantId);
      return ok;
    },
  },
  'mod:settings': {
    states: PRESENT,
    permission: Permission.MODERATE,
    run: async ({ room, payload }) => {
      await room.main.applySettings(payload);
      return ok;
    },
  },
});
