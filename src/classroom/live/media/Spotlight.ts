import { decideLayers, layersWanted, spatialLayersOf } from '../../../media/layerPolicy.js';
import type { GroupContext } from '../groups/GroupContext.js';
import type { Participant } from '../Participant.js';
import type { MediaSession } from './MediaSession.js';
import { MAX_VISIBLE_VIDEO_TILES, focusOf, spotlightOf, visibleTo } from './viewPolicy.js';

/** What a page reported it shows: its tiles, and the one it shows large. */
interface PageView {
  visible: Set<string>;
  focus: string | null;
}

/**
 * A group's spotlight (pinned or speaking) and what each viewer receives of
 * every consumer: paused when hidden, a layer by tile size otherwise.
 * Applies the pure decisions of viewPolicy and layerPolicy to mediasoup
 * consumers; keeps what each page reported it shows, until it leaves.
 */
export class Spotlight {
  private pinnedId: string | null = null;
  private activeSpeakerId: string | null = null;
  private readonly views = new Map<string, PageView>();

  constructor(
    private readonly ctx: GroupContext,
    private readonly session: MediaSession,
  ) {
    session.on('consumerReady', (viewer) => void this.apply(viewer));
    session.on('dominantSpeaker', (participantId) => this.speakerChanged(participantId));
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
      joined: this.ctx.members.inLesson(),
    });
  }

  /** A teacher pins someone of the group (or nobody) for everyone in it. */
  async pin(participantId: string | null): Promise<void> {
    if (participantId !== null) this.ctx.members.target(participantId);
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
    this.views.set(viewer.id, { visible: new Set(focus ? [focus, ...tiles] : tiles), focus: focus ?? null });
    await this.apply(viewer);
  }

  /** Someone left the group: no longer pinned, speaking or showing anything. */
  forget(participant: Participant): void {
    if (this.pinnedId === participant.id) this.pinnedId = null;
    if (this.activeSpeakerId === participant.id) this.activeSpeakerId = null;
    this.views.delete(participant.id);
  }

  /** Who watches changed (someone came, went, dropped or came back): everyone's decision can change. */
  async applyAll(): Promise<void> {
    for (const viewer of this.ctx.members.inLesson()) await this.apply(viewer);
  }

  async apply(viewer: Participant): Promise<void> {
    const media = this.session.find(viewer);
    if (!media) return;
    const present = this.ctx.members.inLesson();
    // Who watches: a page that is away sees nothing, so two connected people get full layers.
    const watching = this.ctx.members.joined().length;
    const page = this.views.get(viewer.id);
    const focus = focusOf({ id: viewer.id, focus: page?.focus ?? null }, this.spotlightId(), present);
    const visible = visibleTo({ id: viewer.id, visible: page?.visible }, focus, present);
    const demand = this.session.routers?.demand;
    for (const entry of media.consumers()) {
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
        // The worker may have closed it with its producer already: mediasoup delivers that notice a
        // turn of the event loop after the refusal (setImmediate in its Channel), so wait for it.
        await new Promise((resolve) => setImmediate(resolve));
        if (!consumer.closed) {
          this.ctx.logger.warn({ err: error, consumerId: consumer.id }, 'apply() | could not apply layers');
        }
      }
    }
    this.session.announceDemand();
  }

  private speakerChanged(participantId: string): void {
    const speaker = this.ctx.members.get(participantId);
    if (this.activeSpeakerId === participantId || !speaker) return;
    this.activeSpeakerId = participantId;
    this.ctx.members.broadcast('activeSpeaker', { participantId });
    if (!this.pinnedId) void this.applyAll();
  }
}
