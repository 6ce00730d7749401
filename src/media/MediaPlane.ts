import type { types } from 'mediasoup';
import type { MediaSourceName } from '../protocol/index.js';
import type { Logger } from '../shared/logger.js';
import type { LayerDemand } from './LayerDemand.js';
import type { ParticipantMedia } from './ParticipantMedia.js';

/**
 * What a group's media session needs of the media plane (RoomMedia in
 * production): placing participants on routers and creating their
 * transports, producers and consumers. Tests of the classroom's rules use a
 * fake of this interface instead of a mediasoup worker.
 */
export interface MediaPlane {
  readonly rtpCapabilities: types.RtpCapabilities;
  /** Which video layers anyone consumes, per producer (dynacast). */
  readonly demand: LayerDemand;
  attach(participantId: string): Promise<ParticipantMedia>;
  detach(media: ParticipantMedia): void;
  createTransport(
    media: ParticipantMedia,
    direction: 'send' | 'recv',
    options: { forceTcp?: boolean; maxIncomingBitrate: number },
  ): Promise<types.WebRtcTransport>;
  produce(
    media: ParticipantMedia,
    transport: types.WebRtcTransport,
    request: { kind: types.MediaKind; rtpParameters: types.RtpParameters; source: MediaSourceName },
  ): Promise<types.Producer>;
  consume(
    viewer: ParticipantMedia,
    producerId: string,
    meta: { ownerId: string; source: MediaSourceName },
  ): Promise<types.Consumer | undefined>;
  /** The participant who sends a producer, if it is still open. */
  ownerOf(producerId: string): string | undefined;
  /** The router a producer arrives on, for taking its media out of the SFU (captions, the recorder); if still open. */
  producerRouter(producerId: string): types.Router | undefined;
  close(): void;
  /** A router died with its worker: every participant must reconnect its media. */
  on(event: 'routerClosed', listener: () => void): this;
  on(event: 'dominantSpeaker', listener: (participantId: string) => void): this;
}

/** Opens the media plane of one group (routers on the least-loaded workers). */
export type OpenMediaPlane = (logger: Logger) => Promise<MediaPlane>;
