import type { types } from 'mediasoup';
import type { MediaSourceName } from '../../../protocol/index.js';
import type { GroupContext } from '../groups/GroupContext.js';
import type { Participant } from '../Participant.js';
import type { MediaSession } from './MediaSession.js';

/**
 * Who receives whose media in a group: every connected member consumes every
 * other member's sources, except that in lecture mode student cameras reach
 * teachers only. Consumers are created paused; the spotlight resumes them
 * once the page is ready and the tile is visible.
 */
export class ConsumerFeed {
  /** Each viewer's pass creating what they miss; one at a time per viewer, so nothing is consumed twice. */
  private readonly passes = new Map<string, Promise<void>>();
  /** Viewers asked for again while their pass ran: it runs once more, so no trigger is lost. */
  private readonly askedAgain = new Set<string>();

  constructor(
    private readonly ctx: GroupContext,
    private readonly session: MediaSession,
  ) {
    session.on('receiverReady', (viewer) => void this.ensure(viewer));
    session.on('producerAdded', (owner) => {
      for (const viewer of ctx.members.joined()) if (viewer !== owner) void this.ensure(viewer);
    });
  }

  shouldConsume(viewer: Participant, owner: Participant, source: MediaSourceName): boolean {
    if (viewer === owner) return false;
    if (this.ctx.classroom.lectureMode && source === 'camera' && !owner.isTeacher && !viewer.isTeacher)
      return false;
    return true;
  }

  /**
   * Creates the consumers a viewer is missing. Asked while a pass for the
   * viewer runs, it runs that pass once more when it ends: the running one
   * may have looked before a producer or a receive transport was there, or
   * been made on a transport the page has since replaced (a move, a rebuild).
   */
  ensure(viewer: Participant): Promise<void> {
    const running = this.passes.get(viewer.id);
    if (running) {
      this.askedAgain.add(viewer.id);
      return running;
    }
    const pass = (async () => {
      do {
        this.askedAgain.delete(viewer.id);
        await this.createMissing(viewer);
      } while (this.askedAgain.has(viewer.id));
    })().finally(() => this.passes.delete(viewer.id));
    this.passes.set(viewer.id, pass);
    return pass;
  }

  private async createMissing(viewer: Participant): Promise<void> {
    const media = this.session.find(viewer);
    if (!media?.rtpCapabilities || viewer.state !== 'joined') return;
    for (const owner of this.ctx.members.inLesson()) {
      for (const [source, producer] of this.session.find(owner)?.producers() ?? []) {
        if (media.consumes(producer.id) || !this.shouldConsume(viewer, owner, source)) continue;
        try {
          await this.create(viewer, owner, source, producer);
        } catch (error) {
          if (!producer.closed && !media.isClosed) {
            this.ctx.logger.warn(
              { err: error, viewer: viewer.id, producerId: producer.id },
              'ensure() | consume failed',
            );
          }
        }
      }
    }
  }

  /** Lecture mode switched on: student cameras stop reaching students. Off: they come back. */
  async applyLectureMode(): Promise<void> {
    for (const viewer of this.ctx.members.inLesson()) {
      if (viewer.isTeacher) continue;
      if (!this.ctx.classroom.lectureMode) {
        await this.ensure(viewer);
        continue;
      }
      for (const entry of this.session.find(viewer)?.consumers() ?? []) {
        const owner = this.ctx.members.get(entry.ownerId);
        if (!owner || this.shouldConsume(viewer, owner, entry.source)) continue;
        entry.consumer.close();
        viewer.emit('consumerClosed', { consumerId: entry.consumer.id });
      }
    }
    this.session.announceDemand();
  }

  /**
   * A page came back on a new connection with its media intact: it hears
   * again of consumers it may have missed (never acknowledged), then gets
   * the ones created while it was away.
   */
  async announceAgain(viewer: Participant): Promise<void> {
    for (const entry of this.session.find(viewer)?.consumers() ?? []) {
      if (!entry.clientReady && !entry.consumer.closed) {
        this.announce(viewer, entry.consumer, entry.ownerId, entry.source);
      }
    }
    this.session.announceDemandAgain(viewer);
    await this.ensure(viewer);
  }

  private async create(
    viewer: Participant,
    owner: Participant,
    source: MediaSourceName,
    producer: types.Producer,
  ): Promise<void> {
    const routers = this.session.routers;
    const media = this.session.find(viewer);
    if (!routers || !media) return;
    const consumer = await routers.consume(media, producer.id, { ownerId: owner.id, source });
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
