import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

/** Chat in the participant's group: public to everyone there, or private to one person. */
export const chatRequests = defineRequests({
  'chat:send': {
    states: JOINED,
    // Anyone may write privately to a teacher; otherwise private chat needs its permission.
    permission: ({ group, payload }) => {
      if (payload.to === undefined) return Permission.CHAT_PUBLIC;
      return group.members.target(payload.to).isTeacher ? undefined : Permission.CHAT_PRIVATE;
    },
    limit: 'chat',
    run: ({ group, participant, payload }) => {
      const recipient = payload.to === undefined ? undefined : group.members.target(payload.to);
      return { message: group.chat.send(participant, payload.text, recipient) };
    },
  },
});
