import type { MediaSourceName } from '../signaling/protocol.js';

export interface LayerContext {
  source: MediaSourceName;
  /** Participants in the lesson right now, the viewer included. */
  participantsPresent: number;
  /** The viewer shows this producer's owner in a tile (or as the spotlight). */
  visible: boolean;
  /** The owner is what the viewer shows large: the spotlight, a pinned or an active speaker. */
  focused: boolean;
  /** Highest spatial layer the producer sends (simulcast encodings - 1). */
  maxSpatialLayer: number;
}

export interface LayerDecision {
  paused: boolean;
  spatialLayer: number;
  temporalLayer: number;
}

const FULL_FRAME_RATE = 2;
const HALF_FRAME_RATE = 1;

/**
 * What a viewer receives of one producer. Audio is always forwarded; screen
 * shares arrive at the sharer's native resolution; camera tiles get the
 * 427x240 layer at half frame rate, the spotlight the next layer up, and with
 * only two people present both get the top layer. Hidden tiles are paused, so
 * in a full class with the teacher in the spotlight, eight camera tiles and
 * four open microphones a student receives about 1.8 Mbit/s (bench sfu-load).
 */
export function decideLayers(context: LayerContext): LayerDecision {
  const top = { spatialLayer: context.maxSpatialLayer, temporalLayer: FULL_FRAME_RATE };
  if (context.source !== 'camera') return { paused: false, ...top };
  if (!context.visible) return { paused: true, spatialLayer: 0, temporalLayer: 0 };
  if (context.participantsPresent <= 2) return { paused: false, ...top };
  if (context.focused) {
    return {
      paused: false,
      spatialLayer: Math.min(1, context.maxSpatialLayer),
      temporalLayer: FULL_FRAME_RATE,
    };
  }
  return { paused: false, spatialLayer: 0, temporalLayer: HALF_FRAME_RATE };
}

/**
 * Spatial layers a consumer can receive, from its own RTP parameters: a
 * simulcast or SVC consumer carries `L<spatial>T<temporal>` (mediasoup sets
 * it from the producer's encodings), anything else has one layer.
 */
export function spatialLayersOf(rtpParameters: { encodings?: Array<{ scalabilityMode?: string }> }): number {
  const mode = rtpParameters.encodings?.[0]?.scalabilityMode;
  const match = mode ? /^[LS](\d+)T\d+/.exec(mode) : null;
  return match ? Math.max(1, Number(match[1])) : 1;
}
