import { EventEmitter } from 'node:events';
import { withClientInput } from '../../../media/clientInput.js';
import type { ParticipantMedia } from '../../../media/ParticipantMedia.js';
import { checkProducerParameters } from '../../../media/producerParameters.js';
import { checkEncryptedProducer } from '../e2ee/encryptedProducers.js';
import type { MediaPlane } from '../../../media/MediaPlane.js';
import type {
  DtlsParameters,
  IceParameters,
  MediaKind,
  MediaSetup,
  MediaSourceName,
  RequestPayload,
  RtpCapabilities,
  TransportInfo,
} from '../../../protocol/index.js';
import { BadRequestError, ConflictError, ServiceUnavailableError } from '../../../shared/errors.js';
import type { GroupContext } from '../groups/GroupContext.js';
import type { Participant } from '../Participant.js';

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
 * The media plane of one group: its routers (through RoomMedia), each
 * member's transports and producers (their ParticipantMedia, kept here by
 * participant id), and recovery when a worker dies. Consumers are the
 * consumer feed's; layers are the spotlight's.
 */
export class MediaSession extends EventEmitter<MediaSessionEvents> {
  private roomMedia: MediaPlane | undefined;
  private readonly media = new Map<string, ParticipantMedia>();

  constructor(private readonly ctx: GroupContext) {
    super();
  }

  /** The group's routers, once anyone joined. */
  get routers(): MediaPlane | undefined {
    return this.roomMedia;
  }

  setup(): MediaSetup {
    if (!this.roomMedia)
      throw new ServiceUnavailableError('Media is starting, try again', 'MEDIA_RECONNECTING');
    return {
      routerRtpCapabilities: this.roomMedia.rtpCapabilities,
      iceServers: this.ctx.services.iceServers,
    };
  }

  /** Gives a participant entering the group a place on a router. */
  async attach(participant: Participant): Promise<void> {
    const roomMedia = await this.ensure();
    this.media.set(participant.id, await roomMedia.attach(participant.id));
  }

  /** Closes a participant's transports (and with them their producers and consumers). */
  detach(participant: Participant): void {
    const media = this.media.get(participant.id);
    this.media.delete(participant.id);
    if (media) this.roomMedia?.detach(media);
  }

  /** A participant's media; requests before a recovery (or a move) finished are told to retry. */
  mediaOf(participant: Participant): ParticipantMedia {
    const media = this.media.get(participant.id);
    if (!media) throw new ConflictError('Media is reconnecting, try again', 'MEDIA_RECONNECTING');
    return media;
  }

  /** A participant's media, if it has any here. */
  find(participant: Participant): ParticipantMedia | undefined {
    return this.media.get(participant.id);
  }

  /** The group's media ends (the lesson ended, the group closed): every router closes. */
  close(): void {
    this.media.clear();
    this.roomMedia?.close();
    this.roomMedia = undefined;
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
    media.transportFor(direction)?.close();
    const transport = await this.roomMedia!.createTransport(media, direction, {
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

  async produce(participant: Participant, request: RequestPayload<'produce'>): Promise<string> {
    const media = this.mediaOf(participant);
    if (SOURCE_KIND[request.source] !== request.kind) {
      throw new BadRequestError(`A ${request.source} producer must be ${SOURCE_KIND[request.source]}`);
    }
    const transport = media.transport(request.transportId);
    if (transport.appData.direction !== 'send') throw new BadRequestError('Produce on the send transport');
    const roomMedia = this.roomMedia!;
    checkProducerParameters(request.kind, request.rtpParameters, roomMedia.rtpCapabilities);
    if (this.ctx.classroom.endToEndEncryption) checkEncryptedProducer(request);
    media.producer(request.source)?.close();
    const producer = await withClientInput('RTP parameters', () =>
      roomMedia.produce(media, transport, request),
    );
    producer.on('transportclose', () => this.emit('sourcesChanged', participant));
    this.emit('sourcesChanged', participant);
    this.emit('producerAdded', participant);
    if (producer.kind === 'video') setTimeout(() => this.announceDemand(), FIRST_DEMAND_DELAY_MS).unref();
    return producer.id;
  }

  /** Dynacast: tells each sender whose consumed layers changed how many to encode. */
  announceDemand(): void {
    const roomMedia = this.roomMedia;
    if (!roomMedia) return;
    for (const { producerId, spatialLayers } of roomMedia.demand.changes()) {
      const ownerId = roomMedia.ownerOf(producerId);
      const owner = ownerId ? this.ctx.members.get(ownerId) : undefined;
      owner?.emit('consumedLayers', { producerId, spatialLayers });
    }
  }

  /** A page back on a new connection hears again what its senders should encode. */
  announceDemandAgain(participant: Participant): void {
    for (const [, producer] of this.media.get(participant.id)?.producers() ?? []) {
      const spatialLayers = this.roomMedia?.demand.lastTold(producer.id);
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

  /** A moderator or a permission change mutes a live microphone; false when there was none to mute. */
  async muteMic(participant: Participant): Promise<boolean> {
    const mic = this.media.get(participant.id)?.producer('mic');
    if (!mic || mic.paused) return false;
    await mic.pause();
    participant.emit('mod:muted', { source: 'mic' });
    return true;
  }

  /** A producer stopped by a moderator or a permission change: the sender is told why. */
  stopSource(participant: Participant, source: MediaSourceName, reason: 'moderator' | 'permission'): void {
    const producer = this.media.get(participant.id)?.producer(source);
    if (!producer) return;
    producer.close();
    participant.emit('producerClosed', { producerId: producer.id, source, reason });
  }

  // ------------------------------------------------------------- routers

  private async ensure(): Promise<MediaPlane> {
    if (this.roomMedia) return this.roomMedia;
    const roomMedia = await this.ctx.services.openMedia(this.ctx.logger);
    roomMedia.on('dominantSpeaker', (participantId) => this.emit('dominantSpeaker', participantId));
    roomMedia.on('routerClosed', () => void this.recover(roomMedia));
    this.roomMedia = roomMedia;
    return roomMedia;
  }

  /** Routers on a live worker again, trying until the deadline; false when none came back. */
  private async reopen(): Promise<boolean> {
    const deadline = Date.now() + RECOVERY_DEADLINE_MS;
    for (;;) {
      try {
        await this.ensure();
        return true;
      } catch (error) {
        if (Date.now() > deadline) {
          this.ctx.logger.error({ err: error }, 'recover() | no worker came back');
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /**
   * The worker under this group died. Everyone keeps their seat and place;
   * their media moves to a router on a live worker and pages reconnect it.
   * Requests that do not need media (chat, hands) go on meanwhile.
   */
  private recover(lost: MediaPlane): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      if (this.roomMedia !== lost) return;
      lost.close();
      this.roomMedia = undefined;
      this.media.clear();
      const joined = this.ctx.members.joined();
      if (!this.ctx.lesson) return;
      if (!(await this.reopen())) return;
      for (const participant of this.ctx.members.joined()) {
        await this.attach(participant);
        participant.emit('media:reconnect', this.setup());
      }
      this.emit('recovered');
      this.ctx.logger.info({ participants: joined.length }, 'recover() | media moved to a live worker');
    });
  }
}
