import { Permission } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/** The whiteboard and slides: everyone reads what the class sees; teachers change it and hand out the pen. */
export const boardRequests = defineRequests({
  'board:state': {
    states: JOINED,
    permission: null,
    run: ({ classroom }) => classroom.board.state(),
  },
  'board:stage': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: async ({ classroom, payload }) => {
      await classroom.board.setStage(payload);
      return ok;
    },
  },
  'board:drawing': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.board.setDrawing(payload.mode);
      return ok;
    },
  },
  'board:mayDraw': {
    states: JOINED,
    permission: Permission.MODERATE,
    run: ({ classroom, payload }) => {
      classroom.board.mayDraw(payload.participantId, payload.allowed);
      return ok;
    },
  },
});
