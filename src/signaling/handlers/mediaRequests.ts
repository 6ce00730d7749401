import { SOURCE_PERMISSION } from '../../classroom/permissions.js';
import { JOINED, defineRequests } from './defineRequest.js';

const ok = { ok: true } as const;

/** Transports, producers and consumers of a participant in the lesson. */
export const mediaRequests = defineRequests({
  'media:capabilities': {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await room.media.setCapabilities(participant, payload.rtpCapabilities);
      return ok;
    },
  },
  createTransport: {
    states: JOINED,
    run: ({ room, participant, payload }) =>
      room.media.createTransport(participant, payload.direction, payload.forceTcp),
  },
  connectTransport: {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await room.media.connectTransport(participant, payload.transportId, payload.dtlsParameters);
      return ok;
    },
  },
  restartIce: {
    states: JOINED,
    run: async ({ room, participant, payload }) => ({
      iceParameters: await room.media.restartIce(participant, payload.transportId),
    }),
  },
  produce: {
    states: JOINED,
    permission: ({ payload }) => SOURCE_PERMISSION[payload.source],
    run: async ({ room, participant, payload }) => ({
      producerId: await room.media.produce(participant, payload),
    }),
  },
  closeProducer: {
    states: JOINED,
    run: ({ room, participant, payload }) => {
      room.media.closeProducer(participant, payload.producerId);
      return ok;
    },
  },
  pauseProducer: {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await room.media.setProducerPaused(participant, payload.producerId, true);
      return ok;
    },
  },
  resumeProducer: {
    states: JOINED,
    // Unmuting needs the source's permission now, whatever was allowed when it started.
    permission: ({ room, participant, payload }) =>
      SOURCE_PERMISSION[room.media.sourceOf(participant, payload.producerId)],
    run: async ({ room, participant, payload }) => {
      await room.media.setProducerPaused(participant, payload.producerId, false);
      return ok;
    },
  },
  resumeConsumer: {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await room.media.resumeConsumer(participant, payload.consumerId);
      return ok;
    },
  },
  setVisibleTiles: {
    states: JOINED,
    run: async ({ room, participant, payload }) => {
      await room.spotlight.setVisibleTiles(participant, payload.visible, payload.focus);
      return ok;
    },
  },
});
