import type { types } from 'mediasoup-client';

type RtpEncodingParameters = types.RtpEncodingParameters;

/** Height of the default tile layer: 427x240 at 16:9. */
export const TILE_HEIGHT = 240;

/** What the camera is asked for; the top simulcast layer sends it as captured. */
export const CAMERA_CONSTRAINTS = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 24, max: 30 },
} satisfies MediaTrackConstraints;

/**
 * Simulcast layers for a camera of the given capture height: the 240p tile
 * layer first, then 480p for a spotlight, then the capture itself. L1T3 gives
 * every layer three temporal layers so the server can halve a tile's frame
 * rate. Bitrates are kept low because a class has up to 50 senders.
 */
export function cameraEncodings(captureHeight: number): RtpEncodingParameters[] {
  const layers: RtpEncodingParameters[] = [];
  const add = (height: number, maxBitrate: number) =>
    layers.push({
      scaleResolutionDownBy: captureHeight / height,
      maxBitrate,
      scalabilityMode: 'L1T3',
    });
  if (captureHeight <= TILE_HEIGHT) {
    add(captureHeight, 200_000);
    return layers;
  }
  add(TILE_HEIGHT, 150_000);
  if (captureHeight > 480) add(480, 450_000);
  add(captureHeight, captureHeight >= 720 ? 1_100_000 : 450_000);
  return layers;
}

/** A screen share goes out at the sharer's native resolution, one layer, favouring sharpness. */
export const SCREEN_ENCODINGS: RtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];
