import { PRESENT, defineRequests, ok } from './defineRequest.js';

/**
 * The collaboration channel: shared documents over this connection. Who may
 * read or write a document is its kind's rule (classroom/live/documentKinds),
 * asked on every message, so these need no permission of their own; the
 * rules also decide what is open before the lesson (the notes, read-only).
 */
export const collabRequests = defineRequests({
  'collab:open': {
    states: PRESENT,
    permission: null,
    run: ({ classroom, participant, payload }) =>
      classroom.collab.open(participant, payload.doc, payload.clientId, payload.message),
  },
  'collab:sync': {
    states: PRESENT,
    permission: null,
    run: async ({ classroom, participant, payload }) => {
      await classroom.collab.sync(participant, payload.doc, payload.message);
      return ok;
    },
  },
  'collab:awareness': {
    states: PRESENT,
    permission: null,
    run: async ({ classroom, participant, payload }) => {
      await classroom.collab.awareness(participant, payload.doc, payload.update);
      return ok;
    },
  },
  'collab:close': {
    states: PRESENT,
    permission: null,
    run: async ({ classroom, participant, payload }) => {
      await classroom.collab.close(participant, payload.doc);
      return ok;
    },
  },
});
