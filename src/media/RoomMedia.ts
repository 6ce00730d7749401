import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from '../shared/logger.js';
import { ServiceUnavailableError } from '../shared/errors.js';
import type { MediaSourceName } from '../protocol/index.js';
import { LayerDemand } from './LayerDemand.js';
import { mediaCodecs } from './mediaCodecs.js';
import { ParticipantMedia } from './ParticipantMedia.js';
import type { MediaPlane } from './MediaPlane.js';
import type { RoomRouter } from './RoomRouter.js';
import type { WorkerPool } from './WorkerPool.js';

export interface RoomMediaOptions {
  workerPool: WorkerPool;
  /** Participants one router carries before the classroom spreads to another worker. */
  maxPerRouter: number;
  logger: Logger;
}

type RoomMediaEvents = {
  /** A router died with its worker: every participant must reconnect its media. */
  routerClosed: [];
  dominantSpeaker: [participantId: string];
};

const OUTGOING_BITRATE = 600_000;
const KEY_FRAME_REQUEST_DELAY_MS = 300;

/** The media plane of one group of a classroom: routers, placement, piping and speaker detection. */
export class RoomMedia extends EventEmitter<RoomMediaEvents> implements MediaPlane {
  private readonly routers: RoomRouter[] = [];
  /** The router each participant's media was placed on. */
  private readonly placement = new WeakMap<ParticipantMedia, RoomRouter>();
  /** Producers by id with their origin router, so new routers can receive pipes of them. */
  private readonly producers = new Map<string, { producer: types.Producer; origin: RoomRouter }>();
  private readonly piped = new Map<types.Router, Set<string>>();
  /** Which video layers anyone consumes, per producer (dynacast). */
  readonly demand = new LayerDemand();
  private closed = false;

  private constructor(private readonly options: RoomMediaOptions) {
    super();
  }

  static async create(options: RoomMediaOptions): Promise<RoomMedia> {
    const media = new RoomMedia(options);
    await media.addRouter();
    return media;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.routers[0]!.router.rtpCapabilities;
  }

  /** Places a participant on the first router with room, opening a router on another worker when all are full. */
  async attach(participantId: string): Promise<ParticipantMedia> {
    let target = this.routers.find((entry) => entry.participants < this.options.maxPerRouter);
    target ??= await this.addRouter();
    target.participants += 1;
    target.pooled.load += 1;
    const media = new ParticipantMedia(participantId);
    this.placement.set(media, target);
    return media;
  }

  detach(media: ParticipantMedia): void {
    if (media.isClosed) return;
    media.close();
    const placed = this.routerOf(media);
    placed.participants -= 1;
    placed.pooled.load -= 1;
  }

  async createTransport(
    media: ParticipantMedia,
    direction: 'send' | 'recv',
    options: { forceTcp?: boolean; maxIncomingBitrate: number },
  ): Promise<types.WebRtcTransport> {
    const placed = this.routerOf(media);
    const transport = await placed.router.createWebRtcTransport({
      webRtcServer: placed.pooled.webRtcServer,
      enableUdp: !options.forceTcp,
      enableTcp: true,
      preferUdp: !options.forceTcp,
      initialAvailableOutgoingBitrate: OUTGOING_BITRATE,
      appData: { direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(options.maxIncomingBitrate);
    media.addTransport(transport);
    return transport;
  }

  async produce(
    media: ParticipantMedia,
    transport: types.WebRtcTransport,
    request: {
      kind: types.MediaKind;
      rtpParameters: types.RtpParameters;
      source: MediaSourceName;
      encrypted?: boolean;
    },
  ): Promise<types.Producer> {
    const producer = await transport.produce({
      kind: request.kind,
      rtpParameters: request.rtpParameters,
      // Many viewers joining or switching layers would otherwise flood the sender with keyframe
      // requests; 300 ms coalesces a join storm into a few keyframes a second. A longer delay is
      // paid by every joiner: at 1000 ms the join-time benchmark's first frame came 420 ms later.
      ...(request.kind === 'video' ? { keyFrameRequestDelay: KEY_FRAME_REQUEST_DELAY_MS } : {}),
      appData: {
        participantId: media.participantId,
        source: request.source,
        encrypted: request.encrypted === true,
      },
    });
    media.addProducer(request.source, producer);
    const origin = this.routerOf(media);
    this.producers.set(producer.id, { producer, origin });
    if (request.kind === 'video') this.demand.track(producer.id);
    producer.observer.once('close', () => {
      this.demand.drop(producer.id);
      this.producers.delete(producer.id);
    });
    if (request.source === 'mic') {
      await origin.speakerObserver.addProducer({ producerId: producer.id });
    }
    for (const entry of this.routers) {
      if (entry !== origin) await this.pipe(producer.id, origin, entry);
    }
    return producer;
  }

  /** The participant who sends a producer (or its pipe), if it is still open. */
  ownerOf(producerId: string): string | undefined {
    const appData = this.producers.get(producerId)?.producer.appData as
      { participantId?: string } | undefined;
    return appData?.participantId;
  }

  producerRouter(producerId: string): types.Router | undefined {
    return this.producers.get(producerId)?.origin.router;
  }

  /** Creates a paused consumer of a producer for a viewer, or undefined when its device cannot decode it. */
  async consume(
    viewer: ParticipantMedia,
    producerId: string,
    meta: { ownerId: string; source: MediaSourceName },
  ): Promise<types.Consumer | undefined> {
    const recv = viewer.transportFor('recv');
    if (!recv || !viewer.rtpCapabilities) return undefined;
    const placed = this.routerOf(viewer);
    const origin = this.producers.get(producerId)?.origin;
    if (origin && origin !== placed) await this.pipe(producerId, origin, placed);
    if (!placed.router.canConsume({ producerId, rtpCapabilities: viewer.rtpCapabilities })) return undefined;
    const consumer = await recv.consume({
      producerId,
      // The page's capabilities as the protocol checked them; mediasoup reads the same JSON.
      rtpCapabilities: viewer.rtpCapabilities,
      paused: true,
      appData: meta,
    });
    viewer.addConsumer({ consumer, ownerId: meta.ownerId, source: meta.source, clientReady: false });
    consumer.observer.once('close', () => this.demand.forget(producerId, consumer.id));
    return consumer;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.routers) {
      entry.pooled.load -= entry.participants;
      entry.router.close();
    }
    this.routers.length = 0;
    this.producers.clear();
  }

  private routerOf(media: ParticipantMedia): RoomRouter {
    const placed = this.placement.get(media);
    if (!placed) throw new Error(`No router for participant ${media.participantId}`);
    return placed;
  }

  private async addRouter(): Promise<RoomRouter> {
    const used = new Set(this.routers.map((entry) => entry.pooled));
    const pooled = this.options.workerPool.leastLoaded(used) ?? this.options.workerPool.leastLoaded();
    if (!pooled)
      throw new ServiceUnavailableError(
        'No media worker is running; try again in a moment',
        'NO_MEDIA_WORKER',
      );
    const router = await pooled.worker.createRouter({ mediaCodecs });
    const speakerObserver = await router.createActiveSpeakerObserver({ interval: 300 });
    const entry: RoomRouter = { pooled, router, participants: 0, speakerObserver };
    speakerObserver.on('dominantspeaker', ({ producer }) => {
      const participantId = (producer.appData as { participantId?: string }).participantId;
      if (participantId) this.emit('dominantSpeaker', participantId);
    });
    router.observer.once('close', () => {
      if (!this.closed) {
        this.options.logger.warn(
          { routerId: router.id, worker: pooled.index },
          'addRouter() | router closed under the room',
        );
        this.emit('routerClosed');
      }
    });
    this.routers.push(entry);
    // A new router needs every existing producer, so its participants can consume them.
    for (const [producerId, { origin }] of this.producers) await this.pipe(producerId, origin, entry);
    this.options.logger.info(
      { routers: this.routers.length, worker: pooled.index },
      'addRouter() | room router added',
    );
    return entry;
  }

  private async pipe(producerId: string, from: RoomRouter, to: RoomRouter): Promise<void> {
    const done = this.piped.get(to.router) ?? new Set<string>();
    this.piped.set(to.router, done);
    if (done.has(producerId) || from === to) return;
    done.add(producerId);
    await from.router.pipeToRouter({ producerId, router: to.router });
  }
}
