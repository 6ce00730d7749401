import { decideLayers, layersWanted, spatialLayersOf } from '../../media/layerPolicy.js';
import type { MediaSession } from './MediaSession.js';
import type { Participant } from './Participant.js';
import { inLesson } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import { MAX_VISIBLE_VIDEO_TILES, focusOf, spotlightOf, visibleTo } from './viewPolicy.js';

/**
 * The spotlight (pinned or speaking) and what each viewer receives of every
 * consumer: paused when hidden, a layer by tile size otherwise. Applies the
 * pure decisions of viewPolicy and layerPolicy to mediasoup consumers.
 */
export class Spotlight {
  private pinnedId: string | null = null;
  private activeSpeakerId: string | null = null;

  constructor(
    private readonly ctx: RoomContext,
    private readonly session: MediaSession,
  ) {
    session.on('consumerReady', (viewer) => void this.apply(viewer));
    session.on('dominantSpeaker', (participantId) => this.speakerChanged(participantId));
    ctx.roster.on('stateChanged', ({ participant, from, to }) => {
      if (from !== 'joined' && to !== 'joined' && inLesson(from) === inLesson(to)) return;
      if (!inLesson(to)) {
        if (this.pinnedId === participant.id) this.pinnedId = null;
        if (this.activeSpeakerId === participant.id) this.activeSpeakerId = null;
      }
      // Two people present get full layers, three get tiles: everyone's decision can change.
      void this.applyAll();
    });
  }

  get pinned(): string | null {
    return this.pinnedId;
  }

  get activeSpeaker(): string | null {
    return this.activeSpeakerId;
  }

  spotlightId(): string | null {
    return spotlightOf({
      pinnedId: this.pinnedId,
      activeSpeakerId: this.activeSpeakerId,
      joined: this.ctx.roster.inLesson(),
    });
  }

  /** A teacher pins someone (or nobody) for everyone. */
  async pin(participantId: string | null): Promise<void> {
    if (participantId !== null) this.ctx.roster.target(participantId);
    this.pinnedId = participantId;
    await this.applyAll();
  }

  /** A page reports which tiles it shows and which one it shows large. */
  async setVisibleTiles(
    viewer: Participant,
    visible: string[],
    focus: string | null | undefined,
  ): Promise<void> {
    const tiles = visible.filter((id) => id !== focus).slice(0, MAX_VISIBLE_VIDEO_TILES);
    viewer.visible = new Set(focus ? [focus, ...tiles] : tiles);
    viewer.focus = focus ?? null;
    await this.apply(viewer);
  }

  async applyAll(): Promise<void> {
    for (const viewer of this.ctx.roster.inLesson()) await this.apply(viewer);
  }

  async apply(viewer: Participant): Promise<void> {
    const media = viewer.media;
    if (!media) return;
    const joined = this.ctx.roster.inLesson();
    // Who watches: a page that is away sees nothing, so two connected people get full layers.
    const watching = this.ctx.roster.joined().length;
    const focus = focusOf(viewer, this.spotlightId(), joined);
    const visible = visibleTo(viewer, focus, joined);
    const demand = this.session.roomMedia?.demand;
    for (const entry of media.consumers.values()) {
      if (!entry.clientReady || entry.consumer.closed) continue;
      const { consumer } = entry;
      const simulcast = consumer.type === 'simulcast' || consumer.type === 'svc';
      const decision = decideLayers({
        source: entry.source,
        participantsPresent: watching,
        visible: visible.has(entry.ownerId),
        focused: entry.ownerId === focus,
        maxSpatialLayer: spatialLayersOf(consumer.rtpParameters) - 1,
        tilesShown: visible.size,
      });
      if (consumer.kind === 'video') {
        demand?.set(consumer.producerId, consumer.id, layersWanted(decision, simulcast));
      }
      try {
        if (decision.paused && !consumer.paused) await consumer.pause();
        if (!decision.paused) {
          if (simulcast) {
            await consumer.setPreferredLayers({
              spatialLayer: decision.spatialLayer,
              temporalLayer: decision.temporalLayer,
            });
          }
          if (consumer.paused) await consumer.resume();
        }
      } catch (error) {
        if (!consumer.closed) {
          this.ctx.logger.warn({ err: error, consumerId: consumer.id }, 'apply() | could not apply layers');
        }
      }
    }
    this.session.announceDemand();
  }

  private speakerChanged(participantId: string): void {
    if (this.activeSpeakerId === participantId || !this.ctx.roster.isInLesson(participantId)) return;
    this.activeSpeakerId = participantId;
    this.ctx.roster.broadcast('activeSpeaker', { participantId });
    if (!this.pinnedId) void this.applyAll();
  }
}
