import { NotFoundError } from '../../../shared/errors.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Participant } from '../Participant.js';
import type { Group } from './Group.js';
import type { GroupInfo } from './GroupContext.js';

/**
 * The groups of a class, the main room and any breakout groups, and which
 * one each participant of the lesson is in: the one place that puts a
 * participant into a group, moves them, or takes them out.
 */
export class Groups {
  readonly main: Group;
  private readonly breakouts = new Map<string, Group>();
  private readonly where = new Map<string, Group>();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly create: (info: GroupInfo | null) => Group,
  ) {
    this.main = create(null);
  }

  /** The group a participant of the lesson is in; undefined outside the lesson. */
  of(participant: Participant): Group | undefined {
    return this.where.get(participant.id);
  }

  /** The main room first, then the breakout groups in the order they opened. */
  all(): Group[] {
    return [this.main, ...this.breakouts.values()];
  }

  breakoutGroups(): Group[] {
    return [...this.breakouts.values()];
  }

  /** A breakout group by id, or the main room for null. */
  get(groupId: string | null): Group {
    if (groupId === null) return this.main;
    const group = this.breakouts.get(groupId);
    if (!group) throw new NotFoundError('No such breakout room', 'UNKNOWN_GROUP');
    return group;
  }

  openBreakouts(infos: GroupInfo[]): void {
    for (const info of infos) this.breakouts.set(info.id, this.create(info));
  }

  /** Into a group (the main room unless said): media there first, so a failure leaves them nowhere. */
  async enter(participant: Participant, group: Group = this.main): Promise<void> {
    await group.add(participant);
    this.where.set(participant.id, group);
  }

  /** Out of the lesson's groups; answers the group they were in. */
  leave(participant: Participant): Group | undefined {
    const group = this.where.get(participant.id);
    this.where.delete(participant.id);
    group?.remove(participant);
    return group;
  }

  /**
   * Out of one group and into another, the same participant all along.
   * Answers the group they are in afterwards: the one they came from when
   * the new one could not take them (no worker).
   */
  async move(participant: Participant, to: Group): Promise<Group> {
    const from = this.where.get(participant.id);
    if (from === to) return to;
    this.leave(participant);
    try {
      await this.enter(participant, to);
      return to;
    } catch (error) {
      if (!from) throw error;
      this.ctx.logger.warn(
        { err: error, participantId: participant.id },
        'move() | could not move, moved back',
      );
      await this.enter(participant, from);
      return from;
    }
  }

  /** The breakout groups close; whoever is still in one leaves it. */
  closeBreakouts(): void {
    for (const group of this.breakouts.values()) {
      for (const participant of group.members.inLesson()) this.where.delete(participant.id);
      group.close();
    }
    this.breakouts.clear();
  }

  /** The lesson ended: every group lets everyone go and its media closes. */
  endLesson(): void {
    this.closeBreakouts();
    this.where.clear();
    this.main.close();
  }
}
