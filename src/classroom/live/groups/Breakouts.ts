import type { BreakoutState, JoinResult, RequestPayload } from '../../../protocol/index.js';
import { ConflictError, ForbiddenError } from '../../../shared/errors.js';
import { randomId } from '../../../shared/ids.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { LessonLifecycle } from '../membership/LessonLifecycle.js';
import type { Membership } from '../membership/Membership.js';
import type { Participant } from '../Participant.js';
import type { Views } from '../Views.js';
import type { Group } from './Group.js';
import type { Groups } from './Groups.js';

type Plan = RequestPayload<'breakout:open'>;

/**
 * A class's breakout rooms: the teacher splits the class into groups (each
 * with its own media, chat and hands; the same lesson, seats and
 * permissions), moves people between them, visits, broadcasts, and brings
 * everyone back. A participant stays the same all along and only changes
 * group; every move runs on the class's one membership queue.
 */
export class Breakouts {
  private assignment: Plan['assignment'] = 'auto';
  private endsAt: number | null = null;
  private closingAt: number | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly lesson: LessonLifecycle,
    private readonly groups: Groups,
    private readonly membership: Membership,
    private readonly views: Views,
  ) {}

  get isOpen(): boolean {
    return this.groups.breakoutGroups().length > 0;
  }

  open(plan: Plan): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      this.lesson.require();
      if (this.isOpen) throw new ConflictError('Breakout rooms are already open', 'BREAKOUTS_OPEN');
      this.assignment = plan.assignment;
      const infos = Array.from({ length: plan.groups }, (_, index) => ({
        id: randomId(6),
        name: plan.names?.[index] ?? `${index + 1}`,
      }));
      this.groups.openBreakouts(infos);
      const groups = this.groups.breakoutGroups();
      const students = this.groups.main.members.joined().filter((participant) => !participant.isTeacher);
      if (plan.assignment === 'auto') {
        // Even sizes, in random order.
        const shuffled = students.map((p) => ({ p, key: Math.random() })).sort((a, b) => a.key - b.key);
        for (const [index, { p }] of shuffled.entries()) await this.move(p, groups[index % groups.length]!);
      } else if (plan.assignment === 'manual') {
        for (const [participantId, index] of Object.entries(plan.manual ?? {})) {
          const participant = this.groups.main.members.get(participantId);
          const group = groups[index];
          if (participant?.state === 'joined' && group) await this.move(participant, group);
        }
      }
      if (plan.durationMinutes) {
        this.endsAt = Date.now() + plan.durationMinutes * 60_000;
        this.later(plan.durationMinutes * 60_000, () => this.close(30));
      }
      this.ctx.logger.info(
        { groups: groups.length, assignment: plan.assignment },
        'open() | breakout rooms opened',
      );
      this.announce();
    });
  }

  /** A teacher puts someone (in any group) into a group, or back into the main room. */
  assign(participantId: string, groupId: string | null): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      await this.move(this.ctx.roster.target(participantId), this.groups.get(groupId));
      this.announce();
    });
  }

  /** A student picks a group, when groups are open and the teacher lets them choose. */
  choose(participant: Participant, groupId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      if (!this.isOpen) throw new ConflictError('No breakout rooms are open', 'BREAKOUTS_CLOSED');
      if (this.assignment !== 'choose')
        throw new ForbiddenError('The teacher assigns the groups', 'BREAKOUT_ASSIGNED');
      await this.move(participant, this.groups.get(groupId));
      this.announce();
    });
  }

  /** A teacher goes into a group to listen in or help, and comes back. */
  visit(teacher: Participant, groupId: string | null): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      await this.move(teacher, this.groups.get(groupId));
      this.announce();
    });
  }

  /** Someone in a group asks for help: every teacher, wherever they are, hears it. */
  help(participant: Participant): void {
    const group = this.groups.of(participant)?.info;
    if (!group) throw new ConflictError('Ask the teacher in the room directly', 'NOT_IN_BREAKOUT');
    this.ctx.roster.toTeachers('breakout:help', {
      groupId: group.id,
      groupName: group.name,
      name: participant.displayName,
    });
  }

  /** A teacher's message to every group. */
  message(from: Participant, text: string): void {
    for (const participant of this.ctx.roster.joined()) {
      participant.emit('breakout:message', { text, from: from.displayName });
    }
  }

  /** Everyone back to the main room after a countdown; then the groups close. */
  close(countdownSeconds: number): void {
    if (!this.isOpen) return;
    this.closingAt = Date.now() + countdownSeconds * 1000;
    for (const group of this.groups.breakoutGroups())
      group.members.broadcast('breakout:closing', { inSeconds: countdownSeconds });
    this.announce();
    this.later(countdownSeconds * 1000, () => void this.returnEveryone());
  }

  /**
   * Someone who just joined while groups are open goes into the smallest
   * group when groups are assigned automatically: the join is answered with
   * that group. Otherwise (a teacher, or groups the teacher assigns) they
   * stay in the main room and hear the groups' state with their join.
   */
  async placeOnJoin(participant: Participant, joined: JoinResult): Promise<JoinResult> {
    if (!this.isOpen || joined.status !== 'joined') return joined;
    if (participant.isTeacher || this.assignment !== 'auto') {
      this.greet(participant);
      return joined;
    }
    const placed = await this.ctx.membershipQueue.run(async () => {
      const smallest = this.groups.breakoutGroups().sort((a, b) => a.members.size - b.members.size)[0];
      if (!smallest || participant.state !== 'joined') return joined;
      await this.move(participant, smallest, { tell: false });
      return this.membership.joinedResult(participant);
    });
    this.announce();
    return placed;
  }

  /** A page entering while groups are open (a teacher, a page back in its group) hears them at once. */
  greet(participant: Participant): void {
    if (this.isOpen && participant.state === 'joined')
      participant.emit('breakout:state', this.state(participant));
  }

  state(viewer: Participant): BreakoutState {
    return { ...this.sharedState(), myGroup: this.groups.of(viewer)?.info?.id ?? null };
  }

  /** The lesson ends: the groups close, everyone is in the main room's lesson as it ends. */
  endLesson(): void {
    this.stopTimers();
    this.assignment = 'auto';
  }

  /** Every page in the class hears the current state (built once, not once per page). */
  announce(): void {
    const shared = this.sharedState();
    for (const group of this.groups.all()) {
      const state = { ...shared, myGroup: group.info?.id ?? null };
      for (const participant of group.members.joined()) participant.emit('breakout:state', state);
    }
  }

  /** The groups as everyone sees them; each page adds where it is itself. */
  private sharedState(): Omit<BreakoutState, 'myGroup'> {
    return {
      open: this.isOpen,
      assignment: this.assignment,
      endsAt: this.endsAt,
      closingAt: this.closingAt,
      groups: this.groups.breakoutGroups().map((group) => ({
        id: group.info!.id,
        name: group.info!.name,
        members: group.members
          .inLesson()
          .map((p) => ({ id: p.id, displayName: p.displayName, role: p.role })),
      })),
    };
  }

  private async returnEveryone(): Promise<void> {
    await this.ctx.membershipQueue.run(async () => {
      for (const group of this.groups.breakoutGroups()) {
        for (const participant of group.members.inLesson()) await this.move(participant, this.groups.main);
      }
      this.groups.closeBreakouts();
      this.stopTimers();
    });
    this.announce();
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.endsAt = null;
    this.closingAt = null;
  }

  /**
   * On the queue: into another group with the same connection, seat and id;
   * the hand goes down, and the page enters the group as after a join.
   */
  private async move(participant: Participant, to: Group, options = { tell: true }): Promise<void> {
    const from = this.groups.of(participant);
    if (!from || from === to) return;
    from.members.broadcast('participantLeft', { participantId: participant.id }, participant);
    const landed = await this.groups.move(participant, to);
    if (landed !== from) this.membership.moveAttendance(participant, landed);
    landed.members.broadcast('participantJoined', this.views.info(participant), participant);
    if (!options.tell || participant.state !== 'joined') return;
    const result = await this.membership.joinedResult(participant);
    participant.emit('breakout:moved', { group: landed.info, result });
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(run, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
