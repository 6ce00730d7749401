import type { MediaSourceName } from '../../../protocol/index.js';
import { ForbiddenError, NotFoundError } from '../../../shared/errors.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Group } from '../groups/Group.js';
import type { Groups } from '../groups/Groups.js';
import type { LessonLifecycle } from '../membership/LessonLifecycle.js';
import type { Membership } from '../membership/Membership.js';
import { inClass } from '../participantState.js';
import type { Views } from '../Views.js';
import type { ClassSettings } from './ClassSettings.js';

/** What a teacher does to others: mute, remove, give the floor, pin. The handlers checked MODERATE. */
export class Moderation {
  constructor(
    private readonly ctx: ClassroomContext,
    private readonly lesson: LessonLifecycle,
    private readonly membership: Membership,
    private readonly groups: Groups,
    private readonly settings: ClassSettings,
    private readonly views: Views,
  ) {}

  /** Mutes someone's microphone (they may unmute), or stops their camera or screen. */
  async mute(participantId: string, source: MediaSourceName): Promise<void> {
    const target = this.ctx.roster.target(participantId);
    const media = this.groups.of(target)?.media;
    if (!media) return;
    if (source === 'mic') await media.muteMic(target);
    else media.stopSource(target, source, 'moderator');
    this.views.participantUpdated(target);
  }

  /** Mutes every student's live microphone in a group; answers how many. */
  async muteAll(group: Group): Promise<number> {
    let muted = 0;
    for (const participant of group.members.inLesson()) {
      if (participant.isTeacher || !(await group.media.muteMic(participant))) continue;
      this.views.participantUpdated(participant);
      muted += 1;
    }
    return muted;
  }

  /**
   * Removes a participant (all their tabs, wherever in the class) and keeps
   * them out for the rest of the lesson; a guest's link may get a new password
   * at the same time, which is answered once.
   */
  remove(participantId: string, options: { changeGuestPassword?: boolean } = {}) {
    return this.ctx.membershipQueue.run(async (): Promise<{ guestPassword?: string }> => {
      const target = this.ctx.roster.get(participantId);
      // Whoever a removal reaches can be removed: also someone whose connection dropped just now.
      if (!target || !inClass(target.state)) {
        throw new NotFoundError('This participant is not here', 'UNKNOWN_PARTICIPANT');
      }
      if (target.isTeacher) throw new ForbiddenError('Teachers cannot be removed', 'CANNOT_REMOVE_TEACHER');
      this.lesson.removeUser(target.userKey);
      for (const tab of this.ctx.roster.tabsOf(target.userKey)) {
        tab.emit('removed', { reason: 'The teacher removed you from this lesson.' });
        await this.membership.exit(tab, { reason: 'removed' });
        tab.channel.disconnect('removed');
      }
      this.ctx.logger.info({ participantId }, 'remove() | participant removed');
      if (!options.changeGuestPassword || target.role !== 'guest') return {};
      const { password } = await this.ctx.services.guests.configure(this.ctx.classroomId, {
        enabled: true,
        regeneratePassword: true,
      });
      return password ? { guestPassword: password } : {};
    });
  }

  /** Gives one member of a group the floor (they may unmute) and takes it from whoever had it. */
  async giveFloor(group: Group, participantId: string | null): Promise<void> {
    const next = participantId === null ? undefined : group.members.target(participantId);
    const previous = group.hands.giveFloor(next);
    if (previous) await this.settings.enforce(previous);
    if (next) {
      next.emit('permissionsChanged', this.views.permissions(next));
      this.views.participantUpdated(next);
    }
  }

  /** Locks the lesson (nobody new comes in) or opens it again; every page hears it. */
  lock(locked: boolean): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      this.lesson.setLocked(locked);
      this.views.broadcastState();
    });
  }

  /** Pins someone (or nobody) as the group's spotlight; every page of the group hears it. */
  async pin(group: Group, participantId: string | null): Promise<void> {
    await group.spotlight.pin(participantId);
    this.views.broadcastState(group);
  }
}
