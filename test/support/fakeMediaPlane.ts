import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { MediaSourceName } from '../../src/protocol/index.js';
import { LayerDemand } from '../../src/media/LayerDemand.js';
import type { MediaPlane } from '../../src/media/MediaPlane.js';
import { ParticipantMedia } from '../../src/media/ParticipantMedia.js';

/** The media plane without mediasoup: participants get a place, nothing is sent. */
export class FakeMediaPlane extends EventEmitter implements MediaPlane {
  readonly rtpCapabilities: types.RtpCapabilities = { codecs: [], headerExtensions: [] };
  readonly demand = new LayerDemand();
  readonly placed = new Set<string>();
  closed = false;

  async attach(participantId: string): Promise<ParticipantMedia> {
    this.placed.add(participantId);
    return new ParticipantMedia(participantId);
  }

  detach(media: ParticipantMedia): void {
    this.placed.delete(media.participantId);
    media.close();
  }

  createTransport(): Promise<types.WebRtcTransport> {
    throw new Error('No transports without a worker: use a full-stack test');
  }

  produce(): Promise<types.Producer> {
    throw new Error('No producers without a worker: use a full-stack test');
  }

  /** Nothing to consume without a worker; a rules test answers for the plane where it needs consumers. */
  async consume(
    _viewer: ParticipantMedia,
    _producerId: string,
    _meta: { ownerId: string; source: MediaSourceName },
  ): Promise<types.Consumer | undefined> {
    return undefined;
  }

  producerRouter(): undefined {
    return undefined;
  }

  ownerOf(): string | undefined {
    return undefined;
  }

  close(): void {
    this.closed = true;
  }
}
