import { requireActive } from '../../classroom/activation.js';
import type { Participant } from '../../classroom/live/Participant.js';
import type { Room } from '../../classroom/live/Room.js';
import type { JoinResult } from '../../protocol/index.js';
import { defineRequests } from './defineRequest.js';

/**
 * A page entering while breakout rooms are open (a teacher arriving, a
 * reloaded page back in its group) hears them with its join, before the
 * answer, not only at the next change.
 */
function withBreakouts(room: Room, participant: Participant, result: JoinResult): JoinResult {
  const breakouts = room.main.breakouts;
  if (result.status === 'joined' && breakouts?.isOpen)
    participant.emit('breakout:state', breakouts.state(participant));
  return result;
}

/** A resumed page: this socket now speaks for the participant it continued, in that participant's room. */
function continued(room: Room, participant: Participant, result: JoinResult): JoinResult {
  participant.channel.transfer({ room, participant });
  return withBreakouts(room, participant, result);
}

/** Entering and leaving, and keeping the page's token fresh. */
export const sessionRequests = defineRequests({
  join: {
    states: ['connected'],
    run: async ({ room, participant, payload }) => {
      if (payload.resume) {
        const resumed = await room.reconnection.resume(participant, payload.resume);
        if (resumed) return continued(room, resumed.participant, resumed.result);
        // Someone in a breakout room comes back through the class's room.
        const inGroup = await room.breakouts?.resume(participant, payload.resume);
        if (inGroup) return continued(inGroup.room, inGroup.participant, inGroup.result);
      }
      const result = await room.membership.join(participant);
      // Breakout rooms are open: someone joining may belong in one, and then enters it instead
      // (moved there with this socket, and told the groups' state with everyone else).
      const placed = await room.breakouts?.placeOnJoin(participant);
      return placed ? placed.result : withBreakouts(room, participant, result);
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
