import type { types } from 'mediasoup-client';
import type { ParticipantInfo, ServerEvents } from '@protocol';
import { RequestError, type SignalingClient } from '../signaling/SignalingClient';
import { logWarning } from '../shared/log';
import type { CurrentEncryption } from '../e2ee/frameEncryption';
import type { MediaEvents, RemoteTrack } from './mediaEvents';
import { inboundStatsOf, type InboundStats } from './mediaStats';

/**
 * Refusals of a resume that mean nothing is missing: the page's media is
 * being rebuilt (moved to another group, a worker replaced) or its lesson
 * is over, and a new set-up follows with consumers of its own.
 */
const SUPERSEDED = new Set(['UNKNOWN_CONSUMER', 'MEDIA_RECONNECTING', 'NOT_JOINED', 'WRONG_STATE']);

/** What the subscriber needs of a consumer; a mediasoup-client Consumer has it. */
export interface ReceivedConsumer {
  readonly id: string;
  readonly closed: boolean;
  readonly paused: boolean;
  readonly track: MediaStreamTrack;
  getStats(): Promise<RTCStatsReport>;
  close(): void;
  on(event: 'transportclose', listener: () => void): unknown;
}

/** What it needs of the receive transport, and of the engine that opens one per generation. */
export interface ReceiveTransport {
  readonly closed: boolean;
  consume(options: types.ConsumerOptions): Promise<ReceivedConsumer>;
}
export interface Receiving {
  readonly current: number;
  receiver(): Promise<ReceiveTransport> | undefined;
}

type Offer = ServerEvents['newConsumer'];

const idsOf = (offer: Offer) => ({
  consumerId: offer.consumerId,
  producerId: offer.producerId,
  participantId: offer.participantId,
  source: offer.source,
});

/**
 * What others send us: the consumers the server offers, each received on
 * the current receive transport, handed to the page as a track and then
 * resumed (the server creates them paused). A consumer that cannot be
 * received or resumed is said on the console with its ids and reported as
 * `receiveFailed`, never dropped silently: that would be someone nobody hears.
 */
export class Subscriber {
  private readonly consumers = new Map<string, { consumer: ReceivedConsumer; info: RemoteTrack }>();
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly signaling: Pick<SignalingClient, 'on' | 'request'>,
    private readonly transports: Receiving,
    private readonly events: MediaEvents,
    private readonly encryption: CurrentEncryption = () => undefined,
  ) {
    this.unsubscribe = [
      signaling.on('newConsumer', (offer) => this.onNewConsumer(offer)),
      signaling.on('consumerClosed', ({ consumerId }) => this.drop(consumerId)),
      signaling.on('participantUpdated', (participant) => this.followPaused(participant)),
    ];
  }

  /** The tracks received now, each as its consumer holds it. */
  remoteTracks(): RemoteTrack[] {
    return [...this.consumers.values()].map(({ consumer, info }) => ({ ...info, track: consumer.track }));
  }

  /** Back on kept media after a lost connection: the consumers the server closed meanwhile go. */
  keepOnly(consumerIds: string[]): void {
    const current = new Set(consumerIds);
    for (const consumerId of [...this.consumers.keys()]) if (!current.has(consumerId)) this.drop(consumerId);
  }

  /** Every consumer goes (a rebuild, or the end); the page hears `trackRemoved` for each. */
  dropAll(): void {
    for (const consumerId of [...this.consumers.keys()]) this.drop(consumerId);
  }

  async inboundStats(): Promise<InboundStats[]> {
    const results: InboundStats[] = [];
    for (const { consumer, info } of this.consumers.values())
      results.push(await inboundStatsOf(consumer, info));
    return results;
  }

  /** Stops following the server's offers; the consumers stay until dropped. */
  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private onNewConsumer(offer: Offer): void {
    // Taken now: an offer belongs to the transport of the moment it arrived.
    const generation = this.transports.current;
    const receiving = this.transports.receiver();
    this.receive(offer, receiving, generation).catch((error: unknown) => {
      logWarning('onNewConsumer', 'could not receive a track', idsOf(offer), error);
      if (generation === this.transports.current) this.failed(offer, error);
    });
  }

  private async receive(
    offer: Offer,
    receiving: Promise<ReceiveTransport> | undefined,
    generation: number,
  ): Promise<void> {
    const transport = await receiving;
    if (!transport || transport.closed || generation !== this.transports.current) {
      // Offered for media we already rebuilt: the new router offers its own consumers.
      logWarning('onNewConsumer', 'offer for a closed receive transport ignored', idsOf(offer));
      return;
    }
    if (this.consumers.has(offer.consumerId)) {
      // Announced again after a reconnect: we have it; the server missed our resume.
      await this.resume(offer);
      return;
    }
    const cipher = this.encryption();
    const consumer = await transport.consume({
      id: offer.consumerId,
      producerId: offer.producerId,
      kind: offer.kind,
      // The server types header extension URIs as any string, mediasoup-client as the ones it knows.
      rtpParameters: offer.rtpParameters as types.RtpParameters,
      // Encrypted: every frame is opened before the decoder sees it; one that does not open is dropped.
      ...(cipher
        ? { onRtpReceiver: (receiver: RTCRtpReceiver) => cipher.decryptWith(receiver, offer.kind) }
        : {}),
    });
    if (consumer.closed || generation !== this.transports.current) {
      consumer.close();
      return;
    }
    const info: RemoteTrack = {
      consumerId: consumer.id,
      participantId: offer.participantId,
      source: offer.source,
      kind: offer.kind,
      track: consumer.track,
      producerPaused: offer.producerPaused,
    };
    this.consumers.set(consumer.id, { consumer, info });
    consumer.on('transportclose', () => this.drop(consumer.id));
    this.events.emit('trackAdded', info);
    // Created paused on the server; it resumes once we can render it.
    await this.resume(offer);
  }

  private async resume(offer: Offer): Promise<void> {
    try {
      await this.signaling.request('resumeConsumer', { consumerId: offer.consumerId });
    } catch (error) {
      logWarning('resumeConsumer', 'the server did not resume a consumer', idsOf(offer), error);
      // Closed meanwhile (the sender left, we moved), or a rebuild follows: nothing is missing.
      if (error instanceof RequestError && SUPERSEDED.has(error.code)) return;
      if (this.consumers.has(offer.consumerId)) this.failed(offer, error);
    }
  }

  private failed(offer: Offer, error: unknown): void {
    this.events.emit('receiveFailed', { participantId: offer.participantId, source: offer.source, error });
  }

  /** The sender muted or unmuted a source: the page shows it on the track it has. */
  private followPaused(participant: ParticipantInfo): void {
    for (const { consumer, info } of this.consumers.values()) {
      if (info.participantId !== participant.id) continue;
      const paused = participant.sources[info.source]?.paused ?? false;
      if (paused !== info.producerPaused) {
        info.producerPaused = paused;
        this.events.emit('trackAdded', { ...info, track: consumer.track });
      }
    }
  }

  private drop(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.events.emit('trackRemoved', consumerId);
  }
}
