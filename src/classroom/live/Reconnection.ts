import { sameSecret } from '../../shared/secrets.js';
import type { JoinResult } from '../../protocol/index.js';
import type { ConsumerFeed } from './ConsumerFeed.js';
import type { MediaSession } from './MediaSession.js';
import type { Membership } from './Membership.js';
import type { Participant, ParticipantChannel } from './Participant.js';
import { inLesson } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';
import type { Roster } from './Roster.js';

export interface ResumeRequest {
  participantId: string;
  key: string;
  /** The page still holds its transports; otherwise the server gives it fresh ones. */
  keepMedia: boolean;
}

/**
 * Wi-Fi drops and train tunnels: a joined participant whose connection
 * closes goes `away` and keeps seat, hand, attendance and media for the grace
 * period. A page that comes back with the participant's resume key continues
 * as that participant (one attendance interval, the gap recorded); after the
 * grace period the participant leaves, as of the moment the connection went.
 */
export class Reconnection {
  private readonly timers = new Map<Participant, NodeJS.Timeout>();

  constructor(
    private readonly ctx: RoomContext,
    private readonly membership: Membership,
    private readonly media: MediaSession,
    private readonly feed: ConsumerFeed,
    private readonly views: RoomViews,
  ) {}

  /** A connection closed without a leave: in the lesson that means away, anywhere else gone. */
  disconnected(participant: Participant): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      if (participant.state !== 'joined') {
        await this.membership.exit(participant, { reason: 'gone' });
        return;
      }
      participant.awaySince = Date.now();
      this.ctx.roster.transition(participant, 'away');
      this.views.participantUpdated(participant);
      const timer = setTimeout(() => void this.expire(participant), this.ctx.services.graceMs);
      timer.unref();
      this.timers.set(participant, timer);
      this.ctx.logger.info({ participantId: participant.id }, 'disconnected() | participant away');
    });
  }

  /**
   * A page that lost its connection asks to continue. Returns undefined when
   * it cannot (wrong key, grace over, another process): the page joins anew.
   */
  resume(
    placeholder: Participant,
    request: ResumeRequest,
    /** Where the placeholder connection attached: the class's main room, when this is a breakout room. */
    placeholderRoster: Roster = this.ctx.roster,
  ): Promise<{ participant: Participant; result: JoinResult } | undefined> {
    return this.ctx.membershipQueue.run(async () => {
      const previous = this.ctx.roster.get(request.participantId);
      if (
        !previous ||
        !inLesson(previous.state) ||
        placeholder.state !== 'connected' ||
        previous.userKey !== placeholder.userKey ||
        !sameSecret(request.key, previous.resumeKey)
      ) {
        return undefined;
      }
      clearTimeout(this.timers.get(previous));
      this.timers.delete(previous);
      const awaySince = previous.awaySince;
      previous.awaySince = undefined;
      this.ctx.roster.takeOver(
        previous,
        placeholder,
        placeholder.channel as ParticipantChannel,
        placeholderRoster,
      );
      if (awaySince !== undefined && previous.attendanceId) {
        this.ctx.services.attendance.recordGap(previous.attendanceId, new Date(awaySince), new Date());
      }
      const keptMedia = request.keepMedia && previous.media !== undefined;
      if (!keptMedia) {
        this.media.detach(previous);
        await this.media.attach(previous);
      }
      this.views.participantUpdated(previous);
      const result = await this.membership.joinedResult(previous);
      if (keptMedia) await this.feed.announceAgain(previous);
      const consumerIds = [...(previous.media?.consumers.keys() ?? [])];
      this.ctx.logger.info(
        { participantId: previous.id, keptMedia, awayMs: awaySince ? Date.now() - awaySince : 0 },
        'resume() | participant back',
      );
      return { participant: previous, result: { ...result, resumed: { keptMedia, consumerIds } } };
    });
  }

  /**
   * A closing tab said goodbye (a beacon, outside its socket): it left for
   * good, so seat and attendance end now instead of after the grace period.
   */
  pageClosed(userKey: string, participantId: string, key: string): Promise<boolean> {
    return this.ctx.membershipQueue.run(async () => {
      const participant = this.ctx.roster.get(participantId);
      if (!participant || participant.userKey !== userKey || !sameSecret(key, participant.resumeKey))
        return false;
      clearTimeout(this.timers.get(participant));
      this.timers.delete(participant);
      await this.membership.exit(participant, { reason: 'left' });
      participant.channel.disconnect('page closed');
      return true;
    });
  }

  /** The lesson or the room ends: nobody is waited for any more. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private expire(participant: Participant): Promise<void> {
    this.timers.delete(participant);
    return this.ctx.membershipQueue.run(async () => {
      if (participant.state !== 'away') return;
      const at = new Date(participant.awaySince ?? Date.now());
      this.ctx.logger.info(
        { participantId: participant.id },
        'expire() | grace period over, participant left',
      );
      await this.membership.exit(participant, { reason: 'gone', at });
    });
  }
}
