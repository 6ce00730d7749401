import type { types } from 'mediasoup-client';
import type { MediaSourceName } from '@protocol';
import { logWarning } from '../shared/log';
import {
  CAMERA_CONSTRAINTS,
  cameraEncodings,
  cameraLayers,
  captureHeightFor,
  type CameraLayer,
} from './encodings';

/** What dynacast needs of a producer; a mediasoup-client Producer has it. */
export interface LayeredProducer {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly closed: boolean;
  readonly track: MediaStreamTrack | null;
  readonly rtpSender: RTCRtpSender | undefined;
  setMaxSpatialLayer(spatialLayer: number): Promise<void>;
}

/** The height a track reports now, 720 when it says nothing. */
const heightOf = (track: MediaStreamTrack) => track.getSettings().height ?? 720;

/**
 * Dynacast for what we send: the camera's simulcast layers, and how many
 * layers of each producer anyone consumes. Layers nobody consumes are paused
 * (encoding `active` flags through mediasoup-client, which keeps the SDP in
 * step), and the camera captures only what the highest consumed layer needs:
 * 427x240 for tiles.
 */
export class CameraLayers {
  private layers: CameraLayer[] = [];
  /** What a camera track captured when first sent: dynacast lowers it later, a reconnect must not. */
  private readonly firstHeights = new WeakMap<MediaStreamTrack, number>();
  private readonly consumed = new Map<string, number>();
  /** One step at a time: each waits for the sender's last change to land. */
  private encoding: Promise<void> = Promise.resolve();

  /** The encodings a new camera producer starts with, its layers planned from the track's first capture. */
  encodingsFor(track: MediaStreamTrack): types.RtpEncodingParameters[] {
    const first = this.firstHeights.get(track) ?? heightOf(track);
    this.firstHeights.set(track, first);
    this.layers = cameraLayers(first);
    return cameraEncodings(this.layers, heightOf(track));
  }

  /** The server said how many spatial layers of a producer anyone consumes. */
  setConsumed(producerId: string, spatialLayers: number): void {
    this.consumed.set(producerId, spatialLayers);
  }

  /** The producer is gone: what was consumed of it no longer matters. */
  forget(producerId: string): void {
    this.consumed.delete(producerId);
  }

  /**
   * Brings a video producer to what is consumed of it: the layers above
   * switched off, and for the camera the capture lowered (or raised) to the
   * highest consumed layer, each layer scaled to its own height again.
   */
  apply(source: MediaSourceName, producer: LayeredProducer): void {
    const spatialLayers = this.consumed.get(producer.id);
    if (spatialLayers === undefined || producer.kind !== 'video') return;
    const step = async () => {
      if (producer.closed || this.consumed.get(producer.id) !== spatialLayers) return;
      await producer.setMaxSpatialLayer(spatialLayers - 1);
      const track = producer.track;
      if (source !== 'camera' || spatialLayers === 0 || !track || track.readyState === 'ended') return;
      const height = captureHeightFor(this.layers, spatialLayers);
      if (track.getSettings().height === height) return;
      await this.scaleLayers(producer, height);
      await track
        .applyConstraints({
          width: { ideal: Math.round((height * 16) / 9) },
          height: { ideal: height },
          frameRate: CAMERA_CONSTRAINTS.frameRate,
        })
        // A camera that cannot give this size keeps its own: the layers are scaled to it below.
        .catch(() => undefined);
      const captured = track.getSettings().height;
      if (captured && captured !== height) await this.scaleLayers(producer, captured);
    };
    // A step that failed leaves the sender as it was; the next word from the server tries again.
    // The chain itself must go on.
    this.encoding = this.encoding.then(step).catch((error: unknown) => {
      if (!producer.closed)
        logWarning(
          'apply',
          'sending did not follow the consumed layers',
          {
            producerId: producer.id,
            spatialLayers,
          },
          error,
        );
    });
  }

  /** Resolves once every step asked for so far has run. */
  settled(): Promise<void> {
    return this.encoding;
  }

  /** Each layer scaled from the capture to its own height, whatever the camera captures now. */
  private async scaleLayers(producer: LayeredProducer, captureHeight: number): Promise<void> {
    const sender = producer.rtpSender;
    if (!sender) return;
    const parameters = sender.getParameters();
    // A tile is 427x240 already: on a busy machine the encoder drops frames, not resolution.
    parameters.degradationPreference = 'maintain-resolution';
    const wanted = cameraEncodings(this.layers, captureHeight);
    parameters.encodings.forEach((encoding, index) => {
      encoding.scaleResolutionDownBy = wanted[index]?.scaleResolutionDownBy ?? 1;
    });
    await sender.setParameters(parameters);
  }
}
