import { KeyRelay } from '../e2ee/KeyRelay.js';
import { Chat } from '../interaction/Chat.js';
import { Hands } from '../interaction/Hands.js';
import { ConsumerFeed } from '../media/ConsumerFeed.js';
import { MediaSession } from '../media/MediaSession.js';
import { Spotlight } from '../media/Spotlight.js';
import type { Participant } from '../Participant.js';
import type { GroupContext, GroupInfo } from './GroupContext.js';
import type { Members } from './Members.js';

/**
 * One group of a class: the main room, or a breakout group. It holds what is
 * the group's own (edumeet's BreakoutRoom): its members, their media (session,
 * feed, spotlight), chat and hands. Participants are the class's; they enter
 * and leave groups (Groups.move), and each feature forgets them on leaving.
 */
export class Group {
  readonly media: MediaSession;
  readonly feed: ConsumerFeed;
  readonly spotlight: Spotlight;
  readonly chat: Chat;
  readonly hands: Hands;
  /** End-to-end encrypted lessons: the members' public keys and the wrapped keys relayed between them. */
  readonly keys: KeyRelay;

  constructor(readonly ctx: GroupContext) {
    this.media = new MediaSession(ctx);
    this.feed = new ConsumerFeed(ctx, this.media);
    this.spotlight = new Spotlight(ctx, this.media);
    this.chat = new Chat(ctx);
    this.hands = new Hands(ctx);
    this.keys = new KeyRelay(ctx, this.media);
  }

  /** The breakout group; null for the main room. */
  get info(): GroupInfo | null {
    return this.ctx.group;
  }

  get members(): Members {
    return this.ctx.members;
  }

  /**
   * Takes a participant in: a place on the group's media first, so a failure
   * leaves nothing behind. Someone away (moved while their connection is
   * gone) gets theirs when their page comes back.
   */
  async add(participant: Participant): Promise<void> {
    if (participant.state !== 'away') await this.media.attach(participant);
    this.members.add(participant);
    await this.spotlight.applyAll();
  }

  /** Lets a participant go, in this order: out of the group, hand and floor, spotlight, media. */
  remove(participant: Participant): void {
    if (!this.members.has(participant)) return;
    this.members.delete(participant);
    this.hands.forget(participant);
    this.keys.forget(participant);
    this.spotlight.forget(participant);
    this.media.detach(participant);
    // Two people present get full layers, three get tiles: everyone's decision can change.
    void this.spotlight.applyAll();
  }

  /** A member dropped or came back: who watches changed. */
  memberStateChanged(): void {
    this.keys.prune();
    void this.spotlight.applyAll();
  }

  /** The group ends (closed, or the lesson ended): its media closes; its members are elsewhere by now. */
  close(): void {
    for (const participant of this.members.inLesson()) this.remove(participant);
    this.media.close();
  }
}
