import type { MediaSourceName } from '../protocol/index.js';

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
  /** Video tiles the viewer's page shows at once, the large one included: more tiles, smaller tiles. */
  tilesShown: number;
}

export interface LayerDecision {
  paused: boolean;
  spatialLayer: number;
  temporalLayer: number;
}

/** L1T3 at 24 fps: temporal layer 2 is every frame, 1 every second, 0 every fourth. */
const FULL_FRAME_RATE = 2;
const HALF_FRAME_RATE = 1;
const QUARTER_FRAME_RATE = 0;

/**
 * The frame rate of a tile by how many the page shows: up to four are large
 * enough to show every frame, a grid of up to nine gets half, a page of
 * more (up to 16) gets a quarter, 6 fps, which a thumbnail of a listening
 * student does not miss and which halves what sixteen tiles cost.
 */
function tileFrameRate(tilesShown: number): number {
  if (tilesShown <= 4) return FULL_FRAME_RATE;
  if (tilesShown <= 9) return HALF_FRAME_RATE;
  return QUARTER_FRAME_RATE;
}

/**
 * What a viewer receives of one producer. Audio is always forwarded; screen
 * shares arrive at the sharer's native resolution; camera tiles get the
 * 427x240 layer at a frame rate by tile size, the spotlight the next layer
 * up, and with only two people present both get the top layer. Hidden tiles
 * are paused. These are preferences: mediasoup's bandwidth estimation
 * (transport-cc) sends a slow receiver lower layers until its line recovers.
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
  return { paused: false, spatialLayer: 0, temporalLayer: tileFrameRate(context.tilesShown) };
}

/** Dynacast: the simulcast layers (from the lowest) a decision needs its sender to encode. */
export function layersWanted(decision: LayerDecision, simulcast: boolean): number {
  if (decision.paused) return 0;
  return simulcast ? decision.spatialLayer + 1 : 1;
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
