import { EventEmitter } from 'node:events';
import { ServiceUnavailableError } from '../../shared/errors.js';
import type { ClassroomSettingsUpdate } from '../../protocol/index.js';
import { Chat } from './Chat.js';
import { ConsumerFeed } from './ConsumerFeed.js';
import { Hands } from './Hands.js';
import { LessonLifecycle } from './LessonLifecycle.js';
import { Lobby } from './Lobby.js';
import { MediaSession } from './MediaSession.js';
import { Membership } from './Membership.js';
import { Moderation } from './Moderation.js';
import { Polls } from './Polls.js';
import { Breakouts } from './Breakouts.js';
import { Participant, type ParticipantChannel, type ParticipantIdentity } from './Participant.js';
import { Reconnection } from './Reconnection.js';
import {
  createRoomContext,
  type BreakoutGroup,
  type RoomContext,
  type RoomRecords,
  type RoomServices,
} from './RoomContext.js';
import { RoomSettings } from './RoomSettings.js';
import { RoomViews } from './RoomViews.js';
import { Spotlight } from './Spotlight.js';

export type { RoomServices };

type RoomEvents = {
  /** Nobody is connected any more: the registry may drop the room. */
  vacant: [];
  /** The room closed; it accepts nobody any more. */
  closed: [];
};

/**
 * One classroom's live session in this process, composed of one object per
 * feature over a shared read-only context. Participants only report what
 * happens (through the signalling handlers); the features decide policy.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly ctx: RoomContext;
  readonly media: MediaSession;
  readonly feed: ConsumerFeed;
  readonly spotlight: Spotlight;
  readonly hands: Hands;
  readonly chat: Chat;
  readonly views: RoomViews;
  readonly membership: Membership;
  readonly reconnection: Reconnection;
  readonly lobby: Lobby;
  readonly lesson: LessonLifecycle;
  readonly settings: RoomSettings;
  readonly moderation: Moderation;
  readonly polls: Polls;
  /** The class's breakout rooms; only the main room has them. */
  readonly breakouts: Breakouts | undefined;
  /** A breakout room's class room. */
  readonly parent: Room | undefined;
  private closed = false;

  private constructor(
    readonly records: RoomRecords,
    services: RoomServices,
    breakout?: { parent: Room; group: BreakoutGroup },
  ) {
    super();
    const ctx = createRoomContext(
      records,
      services,
      breakout && { group: breakout.group, membershipQueue: breakout.parent.ctx.membershipQueue },
    );
    this.parent = breakout?.parent;
    this.ctx = ctx;
    this.media = new MediaSession(ctx);
    this.feed = new ConsumerFeed(ctx, this.media);
    this.spotlight = new Spotlight(ctx, this.media);
    this.hands = new Hands(ctx);
    this.chat = new Chat(ctx);
    this.polls = new Polls(ctx, services.polls);
    this.views = new RoomViews(ctx, this.spotlight, this.hands, this.polls, () =>
      [this.main, ...(this.main.breakouts?.rooms() ?? [])].flatMap((room) => room.ctx.roster.inLesson()),
    );
    this.membership = new Membership(ctx, this.media, this.views, this.chat);
    this.reconnection = new Reconnection(ctx, this.membership, this.media, this.feed, this.views);
    this.lobby = new Lobby(ctx, this.membership, this.views);
    this.lesson = new LessonLifecycle(
      ctx,
      records,
      this.membership,
      this.media,
      this.reconnection,
      this.views,
    );
    this.settings = new RoomSettings(ctx, records, this.media, this.feed, this.views);
    this.moderation = new Moderation(ctx, this.membership, this.media, this.settings, this.views);
    this.lesson.onEnded(() => this.polls.endLesson());
    this.breakouts = breakout ? undefined : new Breakouts(this, (group) => Room.forBreakout(this, group));
    this.media.on('sourcesChanged', (owner) => this.views.participantUpdated(owner));
    this.media.on('recovered', () => this.views.broadcastState());
    ctx.roster.on('stateChanged', ({ to }) => {
      if (to === 'left' && ctx.roster.size === 0) this.emit('vacant');
    });
  }

  /** A breakout room of this class: the same lesson and seats, its own media, chat and hands. */
  static forBreakout(parent: Room, group: BreakoutGroup): Room {
    return new Room(parent.records, parent.ctx.services, { parent, group });
  }

  /** The class's main room (itself, unless this is a breakout room). */
  get main(): Room {
    return this.parent ?? this;
  }

  static async create(classroomId: string, services: RoomServices): Promise<Room> {
    const classroom = await services.classrooms.get(classroomId);
    const lesson = await services.lessons.live(classroomId);
    const room = new Room({ classroom, lesson }, services);
    await room.polls.restore();
    return room;
  }

  get classroomId(): string {
    return this.ctx.classroomId;
  }

  get lessonId(): string | undefined {
    return this.ctx.lesson?._id;
  }

  get participantCount(): number {
    return this.ctx.roster.inLessonCount;
  }

  get isVacant(): boolean {
    return this.ctx.roster.size === 0;
  }

  /** A connection for this classroom arrived; it may join, wait or just hold the room open. */
  attach(identity: ParticipantIdentity, channel: ParticipantChannel): Participant {
    if (this.closed)
      throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
    const participant = new Participant(identity, channel);
    this.ctx.roster.add(participant);
    return participant;
  }

  /** New settings for the class: taken in here and enforced in every breakout room too. */
  async applySettings(changes: ClassroomSettingsUpdate): Promise<void> {
    const before = this.records.classroom;
    await this.settings.apply(changes);
    for (const group of this.breakouts?.rooms() ?? []) await group.settings.enforceAll(before);
  }

  /** Shutdown: everyone leaves as on a disconnect (seats wait out the grace period), then the room closes. */
  async closeGracefully(): Promise<void> {
    for (const group of this.breakouts?.rooms() ?? []) await group.closeGracefully();
    await this.membership.closeAll();
    this.close();
  }

  /**
   * Another node serves the classroom from now on (or, without `nodeId`, the
   * next one to take it): every page is told to reconnect, to that node, and
   * the room closes as on a shutdown (attendance closes now, seats wait out
   * the grace period for the pages to arrive).
   */
  async moveTo(nodeId: string | undefined): Promise<void> {
    for (const participant of this.ctx.roster.all()) {
      participant.channel.emit('server:restarting', nodeId ? { node: nodeId } : {});
    }
    await this.closeGracefully();
  }

  /** Closes the media and disconnects every socket still attached. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reconnection.clear();
    this.media.close();
    for (const participant of this.ctx.roster.all()) participant.channel.disconnect('room closed');
    this.emit('closed');
    this.ctx.logger.info('close() | room closed');
  }
}
