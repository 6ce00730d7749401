import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

/** Chat: public to everyone in the lesson, or private to one person. */
export const chatRequests = defineRequests({
  'chat:send': {
    states: JOINED,
    // Anyone may write privately to a teacher; otherwise private chat needs its permission.
    permission: ({ room, payload }) => {
      if (payload.to === undefined) return Permission.CHAT_PUBLIC;
      return room.ctx.roster.target(payload.to).isTeacher ? undefined : Permission.CHAT_PRIVATE;
    },
    limit: 'chat',
    run: async ({ room, participant, payload }) => {
      const recipient = payload.to === undefined ? undefined : room.ctx.roster.target(payload.to);
      return { message: room.chat.send(participant, payload.text, recipient) };
    },
  },
});
