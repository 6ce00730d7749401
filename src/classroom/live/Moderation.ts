import type { MediaSourceName } from '../../protocol/index.js';
import { ForbiddenError, NotFoundError } from '../../shared/errors.js';
import type { MediaSession } from './MediaSession.js';
import type { Membership } from './Membership.js';
import { inClass } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomSettings } from './RoomSettings.js';
import type { RoomViews } from './RoomViews.js';

/** What a teacher does to others: mute, remove, give the floor. The handlers checked MODERATE. */
export class Moderation {
  constructor(
    private readonly ctx: RoomContext,
    private readonly membership: Membership,
    private readonly media: MediaSession,
    private readonly settings: RoomSettings,
    private readonly views: RoomViews,
  ) {}

  async mute(participantId: string, source: MediaSourceName): Promise<void> {
    const target = this.ctx.roster.target(participantId);
    const producer = target.media?.producers.get(source);
    if (!producer) return;
    if (source === 'mic') {
      await producer.pause();
      target.emit('mod:muted', { source });
    } else {
      this.media.stopSource(target, source, 'moderator');
    }
    this.views.participantUpdated(target);
  }

  async muteAll(): Promise<number> {
    let muted = 0;
    for (const participant of this.ctx.roster.inLesson()) {
      const mic = participant.media?.producers.get('mic');
      if (participant.isTeacher || !mic || mic.paused) continue;
      await mic.pause();
      participant.emit('mod:muted', { source: 'mic' });
      this.views.participantUpdated(participant);
      muted += 1;
    }
    return muted;
  }

  /** Removes a participant (all their tabs) and keeps them out for the rest of the lesson. */
  remove(participantId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const target = this.ctx.roster.get(participantId);
      // Whoever a removal reaches can be removed: also someone whose connection dropped just now.
      if (!target || !inClass(target.state)) {
        throw new NotFoundError('This participant is not here', 'UNKNOWN_PARTICIPANT');
      }
      if (target.isTeacher) throw new ForbiddenError('Teachers cannot be removed', 'CANNOT_REMOVE_TEACHER');
      const lesson = this.ctx.lesson;
      if (lesson) {
        lesson.removedUserKeys.push(target.userKey);
        await this.ctx.services.lessons.removeUser(lesson._id, target.userKey);
      }
      await this.removeTabsOf(target.userKey);
      this.ctx.logger.info({ participantId }, 'remove() | participant removed');
    });
  }

  /** Every tab of a removed user in this room leaves (on the queue; the removal is already recorded). */
  async removeTabsOf(userKey: string): Promise<void> {
    for (const tab of this.ctx.roster.tabsOf(userKey)) {
      tab.emit('removed', { reason: 'The teacher removed you from this lesson.' });
      await this.membership.exit(tab, { reason: 'removed' });
      tab.channel.disconnect('removed');
    }
  }

  /** Gives one participant the floor (they may unmute) and takes it from whoever had it. */
  async giveFloor(participantId: string | null): Promise<void> {
    const next = participantId === null ? undefined : this.ctx.roster.target(participantId);
    for (const participant of this.ctx.roster.inLesson()) {
      if (!participant.hasFloor || participant === next) continue;
      participant.hasFloor = false;
      await this.settings.enforce(participant);
    }
    if (next) {
      next.hasFloor = true;
      next.handRaisedAt = null;
      next.emit('permissionsChanged', this.views.permissions(next));
      this.views.participantUpdated(next);
    }
  }
}
