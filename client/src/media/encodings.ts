import type { types } from 'mediasoup-client';

type RtpEncodingParameters = types.RtpEncodingParameters;

/** Height of the default tile layer: 427x240 at 16:9, what the seeds send unless more is needed. */
export const TILE_HEIGHT = 240;

/** What the camera is asked for; the top simulcast layer sends it as captured. */
export const CAMERA_CONSTRAINTS = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 24, max: 30 },
} satisfies MediaTrackConstraints;

/** One simulcast layer of a camera: its height and the most it may send. */
export interface CameraLayer {
  height: number;
  maxBitrate: number;
}

/**
 * The layers a camera sends, lowest first: the 240p tile layer, 480p for a
 * spotlight, 720p with only two people present. Their sum (1.38 Mbit/s) stays
 * under what Aula accepts from a student (2 Mbit/s): a browser that cannot
 * fit every layer into its estimate leaves the top one empty (Firefox did,
 * at 1.7 Mbit/s against 1.5). The tile layer is small (100 kbit/s) because a page of 16
 * tiles receives 16 of them.
 */
const LAYERS: readonly CameraLayer[] = [
  { height: TILE_HEIGHT, maxBitrate: 100_000 },
  { height: 480, maxBitrate: 380_000 },
  { height: 720, maxBitrate: 900_000 },
];

/** The layers of a camera that captures up to the given height: a smaller capture is its own top layer. */
export function cameraLayers(captureHeight: number): CameraLayer[] {
  if (captureHeight <= TILE_HEIGHT) return [{ height: captureHeight, maxBitrate: 200_000 }];
  const layers = LAYERS.filter((layer) => layer.height <= captureHeight);
  if (layers.at(-1)!.height < captureHeight && captureHeight < LAYERS.at(-1)!.height) {
    layers.push({ height: captureHeight, maxBitrate: LAYERS[layers.length]!.maxBitrate });
  }
  return layers;
}

/**
 * Simulcast encodings of the given layers for a capture of `captureHeight`:
 * each layer scaled down from the capture, L1T3 so the server can lower a
 * tile's frame rate.
 */
export function cameraEncodings(
  layers: readonly CameraLayer[],
  captureHeight: number,
): RtpEncodingParameters[] {
  return layers.map((layer) => ({
    scaleResolutionDownBy: Math.max(1, captureHeight / layer.height),
    maxBitrate: layer.maxBitrate,
    scalabilityMode: 'L1T3',
  }));
}

/**
 * Dynacast: what the camera captures when `spatialLayers` layers are
 * consumed: just enough for the highest of them, 240p when none or only
 * tiles are watched.
 */
export function captureHeightFor(layers: readonly CameraLayer[], spatialLayers: number): number {
  return layers[Math.min(layers.length, Math.max(1, spatialLayers)) - 1]!.height;
}

/** A screen share goes out at the sharer's native resolution, one layer, favouring sharpness. */
export const SCREEN_ENCODINGS: RtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];
