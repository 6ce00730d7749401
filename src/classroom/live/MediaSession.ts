import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { withClientInput } from '../../media/clientInput.js';
import { checkProducerParameters } from '../../media/producerParameters.js';
import type { ParticipantMedia } from '../../media/ParticipantMedia.js';
import { RoomMedia } from '../../media/RoomMedia.js';
import type {
  DtlsParameters,
  IceParameters,
  MediaKind,
  MediaSetup,
  MediaSourceName,
  RtpCapabilities,
  RtpParameters,
  TransportInfo,
} from '../../protocol/index.js';
import { BadRequestError, ConflictError, ServiceUnavailableError } from '../../shared/errors.js';
import type { Participant } from './Participant.js';
import type { RoomContext } from './RoomContext.js';

const SOURCE_KIND: Record<MediaSourceName, MediaKind> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
};

/** How long recovery waits for a replacement worker after one died. */
const RECOVERY_DEADLINE_MS = 15_000;
/**
 * A new video producer's sender hears what is wanted of it after this long
 * even if nobody consumes it: the first viewers' consumers arrive within it,
 * so a sender is not switched off and on again while a room fills.
 */
const FIRST_DEMAND_DELAY_MS = 1_500;

type MediaSessionEvents = {
  /** A participant started sending a source: the others should receive it. */
  producerAdded: [owner: Participant];
  /** A participant can receive now (capabilities known, receive transport open). */
  receiverReady: [viewer: Participant];
  /** A participant's page is ready to render a consumer; the view policy decides its layers. */
  consumerReady: [viewer: Participant];
  /** A participant's sources changed (sending, paused, stopped). */
  sourcesChanged: [owner: Participant];
  /** Everyone's media moved to a live worker after a crash. */
  recovered: [];
  dominantSpeaker: [participantId: string];
};

/**
 * The media plane of one room's lesson: the routers (through RoomMedia), each
 * joined participant's transports and producers, and recovery when a worker
 * dies. Consumers are the consumer feed's; layers are the view policy's.
 */
export class MediaSession extends EventEmitter<MediaSessionEvents> {
  private media: RoomMedia | undefined;

  constructor(private readonly ctx: RoomContext) {
    super();
  }

  /** The lesson's routers, once anyone joined. */
  get roomMedia(): RoomMedia | undefined {
    return this.media;
  }

  setup(): MediaSetup {
    if (!this.media) throw new ServiceUnavailableError('Media is starting, try again', 'MEDIA_RECONNECTING');
    return { routerRtpCapabilities: this.media.rtpCapabilities, iceServers: this.ctx.services.iceServers };
  }

  /** Gives a participant who is joining a place on a router. */
  async attach(participant: Participant): Promise<void> {
    const media = await this.ensure();
    participant.media = await media.attach(participant.id);
  }

  /** Closes a participant's transports (and with them their producers and consumers). */
  detach(participant: Participant): void {
    if (participant.media) this.media?.detach(participant.media);
    participant.media = undefined;
  }

  /** The lesson ended: every router closes. */
  close(): void {
    for (const participant of this.ctx.roster.inLesson()) participant.media = undefined;
    this.media?.close();
    this.media = undefined;
  }

  // ------------------------------------------------------------- requests

  async setCapabilities(participant: Participant, rtpCapabilities: RtpCapabilities): Promise<void> {
    this.mediaOf(participant).rtpCapabilities = rtpCapabilities;
    this.emit('receiverReady', participant);
  }

  async createTransport(
    participant: Participant,
    direction: 'send' | 'recv',
    forceTcp = false,
  ): Promise<TransportInfo> {
    const media = this.mediaOf(participant);
    // A page that lost its transport asks again: the old one of that direction goes.
    [...media.transports.values()].find((t) => t.appData.direction === direction)?.close();
    const transport = await this.media!.createTransport(media, direction, {
      forceTcp,
      // A student's camera layers (1.4 Mbit/s) must fit with room to spare, or browsers leave the top one empty.
      maxIncomingBitrate: participant.isTeacher ? 3_000_000 : 2_000_000,
    });
    if (direction === 'recv') this.emit('receiverReady', participant);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(
    participant: Participant,
    transportId: string,
    dtlsParameters: DtlsParameters,
  ): Promise<void> {
    const transport = this.mediaOf(participant).transport(transportId);
    // mediasoup accepts connect() once per transport; a second call is the page's mistake.
    if (transport.appData.connectRequested) {
      throw new ConflictError('This transport is already connected', 'TRANSPORT_CONNECTED');
    }
    transport.appData.connectRequested = true;
    try {
      await withClientInput('DTLS parameters', () => transport.connect({ dtlsParameters }));
    } catch (error) {
      transport.appData.connectRequested = false;
      throw error;
    }
  }

  async restartIce(participant: Participant, transportId: string): Promise<IceParameters> {
    return this.mediaOf(participant).transport(transportId).restartIce();
  }

  async produce(
    participant: Participant,
    request: { transportId: string; kind: MediaKind; rtpParameters: RtpParameters; source: MediaSourceName },
  ): Promise<string> {
    const media = this.mediaOf(participant);
    if (SOURCE_KIND[request.source] !== request.kind) {
      throw new BadRequestError(`A ${request.source} producer must be ${SOURCE_KIND[request.source]}`);
    }
    const transport = media.transport(request.transportId);
    if (transport.appData.direction !== 'send') throw new BadRequestError('Produce on the send transport');
    checkProducerParameters(request.kind, request.rtpParameters, this.media!.rtpCapabilities);
    media.producers.get(request.source)?.close();
    const producer = await withClientInput('RTP parameters', () =>
      this.media!.produce(media, transport, request),
    );
    producer.on('transportclose', () => this.emit('sourcesChanged', participant));
    this.emit('sourcesChanged', participant);
    this.emit('producerAdded', participant);
    if (producer.kind === 'video') setTimeout(() => this.announceDemand(), FIRST_DEMAND_DELAY_MS).unref();
    return producer.id;
  }

  /** Dynacast: tells each sender whose consumed layers changed how many to encode. */
  announceDemand(): void {
    const media = this.media;
    if (!media) return;
    for (const { producerId, spatialLayers } of media.demand.changes()) {
      const ownerId = media.ownerOf(producerId);
      const owner = ownerId ? this.ctx.roster.get(ownerId) : undefined;
      owner?.emit('consumedLayers', { producerId, spatialLayers });
    }
  }

  /** A page back on a new connection hears again what its senders should encode. */
  announceDemandAgain(participant: Participant): void {
    for (const producer of participant.media?.producers.values() ?? []) {
      const spatialLayers = this.media?.demand.lastTold(producer.id);
      if (spatialLayers !== undefined)
        participant.emit('consumedLayers', { producerId: producer.id, spatialLayers });
    }
  }

  closeProducer(participant: Participant, producerId: string): void {
    this.mediaOf(participant).producerById(producerId).producer.close();
    this.emit('sourcesChanged', participant);
  }

  /** The source a producer sends, so a request can be checked against that source's permission. */
  sourceOf(participant: Participant, producerId: string): MediaSourceName {
    return this.mediaOf(participant).producerById(producerId).source;
  }

  async setProducerPaused(participant: Participant, producerId: string, paused: boolean): Promise<void> {
    const { producer } = this.mediaOf(participant).producerById(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
    this.emit('sourcesChanged', participant);
  }

  async resumeConsumer(participant: Participant, consumerId: string): Promise<void> {
    this.mediaOf(participant).consumer(consumerId).clientReady = true;
    this.emit('consumerReady', participant);
  }

  /** A producer stopped by a moderator or a permission change: the sender is told why. */
  stopSource(
    participant: Participant,
    source: MediaSourceName,
    reason: 'moderator' | 'permission',
  ): types.Producer | undefined {
    const producer = participant.media?.producers.get(source);
    if (!producer) return undefined;
    producer.close();
    participant.emit('producerClosed', { producerId: producer.id, source, reason });
    return producer;
  }

  /** A joined participant's media; requests before a recovery finished are told to retry. */
  mediaOf(participant: Participant): ParticipantMedia {
    if (!participant.media) throw new ConflictError('Media is reconnecting, try again', 'MEDIA_RECONNECTING');
    return participant.media;
  }

  // ------------------------------------------------------------- routers

  private async ensure(): Promise<RoomMedia> {
    if (this.media) return this.media;
    const media = await RoomMedia.create({
      workerPool: this.ctx.services.workerPool,
      maxPerRouter: this.ctx.services.maxPerRouter,
      logger: this.ctx.logger,
    });
    media.on('dominantSpeaker', (participantId) => this.emit('dominantSpeaker', participantId));
    media.on('routerClosed', () => void this.recover(media));
    this.media = media;
    return media;
  }

  /**
   * The worker under this room died. Everyone keeps their seat and place;
   * their media moves to a router on a live worker and pages reconnect it.
   * Requests that do not need media (chat, hands) go on meanwhile.
   */
  private recover(lost: RoomMedia): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      if (this.media !== lost) return;
      lost.close();
      this.media = undefined;
      const joined = this.ctx.roster.joined();
      for (const participant of joined) participant.media = undefined;
      if (!this.ctx.lesson) return;
      const deadline = Date.now() + RECOVERY_DEADLINE_MS;
      for (;;) {
        try {
          await this.ensure();
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            this.ctx.logger.error({ err: error }, 'recover() | no worker came back');
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      for (const participant of this.ctx.roster.joined()) {
        await this.attach(participant);
        participant.emit('media:reconnect', this.setup());
      }
      this.emit('recovered');
      this.ctx.logger.info({ participants: joined.length }, 'recover() | media moved to a live worker');
    });
  }
}
