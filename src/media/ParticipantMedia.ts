import type { types } from 'mediasoup';
import type { MediaSourceName } from '../protocol/index.js';
import { NotFoundError } from '../shared/errors.js';
import type { RoomRouter } from './RoomMedia.js';

export interface ConsumerEntry {
  consumer: types.Consumer;
  ownerId: string;
  source: MediaSourceName;
  /** The client created its side and asked to resume; only then may policy resume it. */
  clientReady: boolean;
}

/** One participant's transports, producers and consumers on the router it was placed on. */
export class ParticipantMedia {
  rtpCapabilities: types.RtpCapabilities | undefined;
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<MediaSourceName, types.Producer>();
  readonly consumers = new Map<string, ConsumerEntry>();
  private closed = false;

  constructor(
    readonly participantId: string,
    readonly roomRouter: RoomRouter,
  ) {}

  get router(): types.Router {
    return this.roomRouter.router;
  }

  transport(transportId: string): types.WebRtcTransport {
    const transport = this.transports.get(transportId);
    if (!transport) throw new NotFoundError(`Unknown transport ${transportId}`, 'UNKNOWN_TRANSPORT');
    return transport;
  }

  producerById(producerId: string): { source: MediaSourceName; producer: types.Producer } {
    for (const [source, producer] of this.producers) {
      if (producer.id === producerId) return { source, producer };
    }
    throw new NotFoundError(`Unknown producer ${producerId}`, 'UNKNOWN_PRODUCER');
  }

  consumer(consumerId: string): ConsumerEntry {
    const entry = this.consumers.get(consumerId);
    if (!entry) throw new NotFoundError(`Unknown consumer ${consumerId}`, 'UNKNOWN_CONSUMER');
    return entry;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closing the transports closes their producers and consumers with them. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
