import type { types } from 'mediasoup';
import type { MediaSourceName } from '../../protocol/index.js';
import type { MediaSession } from './MediaSession.js';
import type { Participant } from './Participant.js';
import type { RoomContext } from './RoomContext.js';

/**
 * Who receives whose media: every joined participant consumes every other's
 * sources, except that in lecture mode student cameras reach teachers only.
 * Consumers are created paused; the view policy resumes them once the page
 * is ready and the tile is visible.
 */
export class ConsumerFeed {
  /** viewer:producer pairs being created, so two triggers never consume one producer twice. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly ctx: RoomContext,
    private readonly session: MediaSession,
  ) {
    session.on('receiverReady', (viewer) => void this.ensure(viewer));
    session.on('producerAdded', (owner) => {
      for (const viewer of ctx.roster.joined()) if (viewer !== owner) void this.ensure(viewer);
    });
  }

  shouldConsume(viewer: Participant, owner: Participant, source: MediaSourceName): boolean {
    if (viewer === owner) return false;
    if (this.ctx.classroom.lectureMode && source === 'camera' && !owner.isTeacher && !viewer.isTeacher)
      return false;
    return true;
  }

  /** Creates the consumers a viewer is missing. */
  async ensure(viewer: Participant): Promise<void> {
    const media = viewer.media;
    if (!media?.rtpCapabilities || viewer.state !== 'joined') return;
    const consuming = new Set([...media.consumers.values()].map((entry) => entry.consumer.producerId));
    for (const owner of this.ctx.roster.inLesson()) {
      for (const [source, producer] of owner.media?.producers ?? []) {
        if (consuming.has(producer.id) || !this.shouldConsume(viewer, owner, source)) continue;
        const key = `${viewer.id}:${producer.id}`;
        if (this.pending.has(key)) continue;
        this.pending.add(key);
        try {
          await this.create(viewer, owner, source, producer);
        } catch (error) {
          if (!producer.closed && !media.isClosed) {
            this.ctx.logger.warn(
              { err: error, viewer: viewer.id, producerId: producer.id },
              'ensure() | consume failed',
            );
          }
        } finally {
          this.pending.delete(key);
        }
      }
    }
  }

  /** Lecture mode switched on: student cameras stop reaching students. Off: they come back. */
  async applyLectureMode(): Promise<void> {
    for (const viewer of this.ctx.roster.inLesson()) {
      if (viewer.isTeacher) continue;
      if (!this.ctx.classroom.lectureMode) {
        await this.ensure(viewer);
        continue;
      }
      for (const [consumerId, entry] of viewer.media?.consumers ?? []) {
        const owner = this.ctx.roster.get(entry.ownerId);
        if (!owner || this.shouldConsume(viewer, owner, entry.source)) continue;
        entry.consumer.close();
        viewer.emit('consumerClosed', { consumerId });
      }
    }
    this.session.announceDemand();
  }

  private async create(
    viewer: Participant,
    owner: Participant,
    source: MediaSourceName,
    producer: types.Producer,
  ): Promise<void> {
    const roomMedia = this.session.roomMedia;
    if (!roomMedia || !viewer.media) return;
    const consumer = await roomMedia.consume(viewer.media, producer.id, { ownerId: owner.id, source });
    if (!consumer) return;
    consumer.on('producerclose', () => viewer.emit('consumerClosed', { consumerId: consumer.id }));
    consumer.on('layerschange', (layers) =>
      viewer.emit('consumerLayers', {
        consumerId: consumer.id,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      }),
    );
    this.announce(viewer, consumer, owner.id, source);
  }

  /**
   * A page came back on a new connection with its media intact: it hears
   * again of consumers it may have missed (never acknowledged), then gets
   * the ones created while it was away.
   */
  async announceAgain(viewer: Participant): Promise<void> {
    for (const entry of viewer.media?.consumers.values() ?? []) {
      if (!entry.clientReady && !entry.consumer.closed) {
        this.announce(viewer, entry.consumer, entry.ownerId, entry.source);
      }
    }
    this.session.announceDemandAgain(viewer);
    await this.ensure(viewer);
  }

  private announce(viewer: Participant, consumer: types.Consumer, ownerId: string, source: MediaSourceName) {
    viewer.emit('newConsumer', {
      consumerId: consumer.id,
      producerId: consumer.producerId,
      participantId: ownerId,
      kind: consumer.kind,
      source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    });
  }
}
