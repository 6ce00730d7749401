import { JOINED, defineRequests, ok } from './defineRequest.js';

/** End-to-end encrypted lessons: public keys announced, wrapped keys relayed, keyframes asked for. */
export const e2eeRequests = defineRequests({
  'e2ee:announce': {
    states: JOINED,
    permission: null,
    run: ({ group, participant, payload }) => {
      group.keys.announce(participant, payload.publicKey);
      return ok;
    },
  },
  'e2ee:sendKey': {
    states: JOINED,
    permission: null,
    run: ({ group, participant, payload }) => {
      group.keys.sendKey(participant, payload);
      return ok;
    },
  },
  requestKeyFrame: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant }) => ({ requested: await group.keys.requestKeyFrames(participant) }),
  },
});
