import type { JoinResult } from '../../../protocol/index.js';
import { sameSecret } from '../../../shared/secrets.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import { inLesson } from '../participantState.js';
import type { Views } from '../Views.js';
import type { Membership } from './Membership.js';

export interface ResumeRequest {
  participantId: string;
  key: string;
  /** The page still holds its transports; otherwise the server gives it fresh ones. */
  keepMedia: boolean;
}

/**
 * Wi-Fi drops and train tunnels: a joined participant whose connection
 * closes goes `away` and keeps seat, hand, attendance, group and media for
 * the grace period. A page that comes back with the participant's resume key
 * continues as that participant, wherever in the class they are (one
 * attendance interval, the gap recorded); after the grace period the
 * participant leaves, as of the moment the connection went.
 */
export class Reconnection {
  private readonly away = new Map<string, { since: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly membership: Membership,
    private readonly groups: Groups,
    private readonly views: Views,
  ) {}

  /** When a participant's connection dropped, while they are away. */
  awaySince(participant: Participant): number | undefined {
    return this.away.get(participant.id)?.since;
  }

  /** A connection closed without a leave: in the lesson that means away, anywhere else gone. */
  disconnected(participant: Participant): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      if (participant.state !== 'joined') {
        await this.membership.exit(participant, { reason: 'gone' });
        return;
      }
      const timer = setTimeout(() => void this.expire(participant), this.ctx.services.graceMs);
      timer.unref();
      this.away.set(participant.id, { since: Date.now(), timer });
      this.ctx.roster.transition(participant, 'away');
      this.views.participantUpdated(participant);
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
      const awaySince = this.awaySince(previous);
      this.forget(previous);
      this.ctx.roster.takeOver(previous, placeholder, placeholder.channel);
      if (awaySince !== undefined) this.membership.recordGap(previous, new Date(awaySince));
      const group = this.groups.of(previous) ?? this.groups.main;
      // Media a worker's recovery or a move took away meanwhile is made anew.
      const keptMedia = request.keepMedia && group.media.find(previous) !== undefined;
      if (!keptMedia) {
        group.media.detach(previous);
        await group.media.attach(previous);
      }
      this.views.participantUpdated(previous);
      const result = await this.membership.joinedResult(previous);
      if (keptMedia) await group.feed.announceAgain(previous);
      const consumerIds = (group.media.find(previous)?.consumers() ?? []).map((entry) => entry.consumer.id);
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
      this.forget(participant);
      await this.membership.exit(participant, { reason: 'left' });
      participant.channel.disconnect('page closed');
      return true;
    });
  }

  /** Nobody waits for this participant any more (back, or gone from the lesson). */
  forget(participant: Participant): void {
    clearTimeout(this.away.get(participant.id)?.timer);
    this.away.delete(participant.id);
  }

  /** The lesson or the classroom ends: nobody is waited for any more. */
  clear(): void {
    for (const { timer } of this.away.values()) clearTimeout(timer);
    this.away.clear();
  }

  private expire(participant: Participant): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const since = this.awaySince(participant);
      this.away.delete(participant.id);
      if (participant.state !== 'away') return;
      this.ctx.logger.info(
        { participantId: participant.id },
        'expire() | grace period over, participant left',
      );
      await this.membership.exit(participant, { reason: 'gone', at: new Date(since ?? Date.now()) });
    });
  }
}
