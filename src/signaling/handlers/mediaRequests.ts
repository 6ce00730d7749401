import { SOURCE_PERMISSION } from '../../classroom/permissions.js';
import { JOINED, defineRequests, ok } from './defineRequest.js';

/** Transports, producers and consumers of a participant in their group's media; sending needs the source's permission. */
export const mediaRequests = defineRequests({
  'media:capabilities': {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => {
      await group.media.setCapabilities(participant, payload.rtpCapabilities);
      return ok;
    },
  },
  createTransport: {
    states: JOINED,
    permission: null,
    run: ({ group, participant, payload }) =>
      group.media.createTransport(participant, payload.direction, payload.forceTcp),
  },
  connectTransport: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => {
      await group.media.connectTransport(participant, payload.transportId, payload.dtlsParameters);
      return ok;
    },
  },
  restartIce: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => ({
      iceParameters: await group.media.restartIce(participant, payload.transportId),
    }),
  },
  produce: {
    states: JOINED,
    permission: ({ payload }) => SOURCE_PERMISSION[payload.source],
    run: async ({ classroom, group, participant, payload }) => {
      classroom.recording.mayProduce(participant);
      return { producerId: await group.media.produce(participant, payload) };
    },
  },
  closeProducer: {
    states: JOINED,
    permission: null,
    run: ({ group, participant, payload }) => {
      group.media.closeProducer(participant, payload.producerId);
      return ok;
    },
  },
  pauseProducer: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => {
      await group.media.setProducerPaused(participant, payload.producerId, true);
      return ok;
    },
  },
  resumeProducer: {
    states: JOINED,
    // Unmuting needs the source's permission now, whatever was allowed when it started.
    permission: ({ group, participant, payload }) =>
      SOURCE_PERMISSION[group.media.sourceOf(participant, payload.producerId)],
    run: async ({ group, participant, payload }) => {
      await group.media.setProducerPaused(participant, payload.producerId, false);
      return ok;
    },
  },
  resumeConsumer: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => {
      await group.media.resumeConsumer(participant, payload.consumerId);
      return ok;
    },
  },
  setVisibleTiles: {
    states: JOINED,
    permission: null,
    run: async ({ group, participant, payload }) => {
      await group.spotlight.setVisibleTiles(participant, payload.visible, payload.focus);
      return ok;
    },
  },
});
