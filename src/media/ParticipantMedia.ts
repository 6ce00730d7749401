import type { types } from 'mediasoup';
import type { MediaSourceName, RtpCapabilities } from '../protocol/index.js';
import { NotFoundError } from '../shared/errors.js';

export interface ConsumerEntry {
  consumer: types.Consumer;
  ownerId: string;
  source: MediaSourceName;
  /** The client created its side and asked to resume; only then may policy resume it. */
  clientReady: boolean;
}

/**
 * One participant's transports, producers and consumers (on the router the
 * media plane placed it on). It owns its collections: each entry leaves them
 * when its mediasoup object closes, whoever closed it (mediasoup-demo's Peer).
 */
export class ParticipantMedia {
  rtpCapabilities: RtpCapabilities | undefined;
  readonly #transports = new Map<string, types.WebRtcTransport>();
  readonly #producers = new Map<MediaSourceName, types.Producer>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  #closed = false;

  constructor(readonly participantId: string) {}

  get isClosed(): boolean {
    return this.#closed;
  }

  addTransport(transport: types.WebRtcTransport): void {
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  addProducer(source: MediaSourceName, producer: types.Producer): void {
    this.#producers.set(source, producer);
    producer.observer.once('close', () => {
      if (this.#producers.get(source) === producer) this.#producers.delete(source);
    });
  }

  addConsumer(entry: ConsumerEntry): void {
    this.#consumers.set(entry.consumer.id, entry);
    entry.consumer.observer.once('close', () => this.#consumers.delete(entry.consumer.id));
  }

  transport(transportId: string): types.WebRtcTransport {
    const transport = this.#transports.get(transportId);
    if (!transport) throw new NotFoundError(`Unknown transport ${transportId}`, 'UNKNOWN_TRANSPORT');
    return transport;
  }

  /** The open transport of one direction, if the page made one. */
  transportFor(direction: 'send' | 'recv'): types.WebRtcTransport | undefined {
    return [...this.#transports.values()].find((transport) => transport.appData.direction === direction);
  }

  producer(source: MediaSourceName): types.Producer | undefined {
    return this.#producers.get(source);
  }

  producers(): Array<[MediaSourceName, types.Producer]> {
    return [...this.#producers];
  }

  producerById(producerId: string): { source: MediaSourceName; producer: types.Producer } {
    for (const [source, producer] of this.#producers) {
      if (producer.id === producerId) return { source, producer };
    }
    throw new NotFoundError(`Unknown producer ${producerId}`, 'UNKNOWN_PRODUCER');
  }

  consumer(consumerId: string): ConsumerEntry {
    const entry = this.#consumers.get(consumerId);
    if (!entry) throw new NotFoundError(`Unknown consumer ${consumerId}`, 'UNKNOWN_CONSUMER');
    return entry;
  }

  consumers(): ConsumerEntry[] {
    return [...this.#consumers.values()];
  }

  /** Whether this participant already receives a producer (or is about to). */
  consumes(producerId: string): boolean {
    for (const entry of this.#consumers.values()) if (entry.consumer.producerId === producerId) return true;
    return false;
  }

  /** Closing the transports closes their producers and consumers with them. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of [...this.#transports.values()]) transport.close();
    this.#transports.clear();
    this.#producers.clear();
    this.#consumers.clear();
  }
}
