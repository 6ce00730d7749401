import type { BreakoutState, JoinResult, RequestPayload } from '../../protocol/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { randomId } from '../../shared/ids.js';
import type { ResumeRequest } from './Reconnection.js';
import type { Participant } from './Participant.js';
import type { BreakoutGroup } from './RoomContext.js';
import type { Room } from './Room.js';

type Plan = RequestPayload<'breakout:open'>;

/**
 * A class's breakout rooms: the teacher splits the class into groups, each a
 * room of its own (own media, chat and hands; the same lesson, seats and
 * permissions), moves people between them, visits, broadcasts, and brings
 * everyone back. Only the main room has this; every change runs on the
 * class's one membership queue.
 */
export class Breakouts {
  private readonly groups = new Map<string, Room>();
  private assignment: Plan['assignment'] = 'auto';
  private endsAt: number | null = null;
  private closingAt: number | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly main: Room,
    private readonly createRoom: (group: BreakoutGroup) => Room,
  ) {
    main.lesson.onEnding(async (reason) => {
      for (const room of this.groups.values()) {
        for (const participant of room.ctx.roster.all()) {
          await this.relocate(room, participant, main, { enter: false });
          participant.channel.emit('lesson:ended', { reason });
        }
      }
      this.shutDown();
    });
  }

  get isOpen(): boolean {
    return this.groups.size > 0;
  }

  rooms(): Room[] {
    return [...this.groups.values()];
  }

  open(plan: Plan): Promise<void> {
    return this.main.ctx.membershipQueue.run(async () => {
      if (!this.main.ctx.lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
      if (this.isOpen) throw new ConflictError('Breakout rooms are already open', 'BREAKOUTS_OPEN');
      this.assignment = plan.assignment;
      for (let index = 0; index < plan.groups; index++) {
        const group = { id: randomId(6), name: plan.names?.[index] ?? `${index + 1}` };
        this.groups.set(group.id, this.createRoom(group));
      }
      const ids = [...this.groups.keys()];
      const students = this.main.ctx.roster.joined().filter((participant) => !participant.isTeacher);
      if (plan.assignment === 'auto') {
        // Even sizes, in random order.
        const shuffled = students.map((p) => ({ p, key: Math.random() })).sort((a, b) => a.key - b.key);
        for (const [index, { p }] of shuffled.entries())
          await this.move(p, this.groups.get(ids[index % ids.length]!)!);
      } else if (plan.assignment === 'manual') {
        for (const [participantId, index] of Object.entries(plan.manual ?? {})) {
          const participant = this.main.ctx.roster.get(participantId);
          const room = this.groups.get(ids[index] ?? '');
          if (participant?.state === 'joined' && room) await this.move(participant, room);
        }
      }
      if (plan.durationMinutes) {
        this.endsAt = Date.now() + plan.durationMinutes * 60_000;
        this.later(plan.durationMinutes * 60_000, () => this.close(30));
      }
      this.main.ctx.logger.info(
        { groups: ids.length, assignment: plan.assignment },
        'open() | breakout rooms opened',
      );
      this.announce();
    });
  }

  /** A teacher puts someone into a group (or back into the main room). */
  assign(participantId: string, groupId: string | null): Promise<void> {
    return this.main.ctx.membershipQueue.run(async () => {
      const { participant } = this.locate(participantId);
      await this.move(participant, this.roomOf(groupId));
      this.announce();
    });
  }

  /** A student picks a group, when the teacher lets them choose. */
  choose(participant: Participant, groupId: string): Promise<void> {
    return this.main.ctx.membershipQueue.run(async () => {
      if (this.assignment !== 'choose')
        throw new ForbiddenError('The teacher assigns the groups', 'BREAKOUT_ASSIGNED');
      await this.move(participant, this.roomOf(groupId));
      this.announce();
    });
  }

  /** A teacher goes into a group to listen in or help, and comes back. */
  visit(teacher: Participant, groupId: string | null): Promise<void> {
    return this.main.ctx.membershipQueue.run(async () => {
      await this.move(teacher, this.roomOf(groupId));
      this.announce();
    });
  }

  /** Someone in a group asks for help: every teacher, wherever they are, hears it. */
  help(participant: Participant, from: Room): void {
    const group = from.ctx.group;
    if (!group) throw new ConflictError('Ask the teacher in the room directly', 'NOT_IN_BREAKOUT');
    for (const room of this.allRooms()) {
      room.ctx.roster.toTeachers('breakout:help', {
        groupId: group.id,
        groupName: group.name,
        name: participant.displayName,
      });
    }
  }

  message(from: Participant, text: string): void {
    for (const room of this.allRooms()) {
      room.ctx.roster.broadcast('breakout:message', { text, from: from.displayName });
    }
  }

  /** Everyone back to the main room after a countdown; then the groups close. */
  close(countdownSeconds: number): void {
    if (!this.isOpen) return;
    this.closingAt = Date.now() + countdownSeconds * 1000;
    for (const room of this.groups.values())
      room.ctx.roster.broadcast('breakout:closing', { inSeconds: countdownSeconds });
    this.announce();
    this.later(countdownSeconds * 1000, () => void this.returnEveryone());
  }

  /**
   * Someone who just joined the main room while groups are open goes into the
   * smallest group when groups are assigned automatically: the join's answer
   * is then that group's. Otherwise they stay and hear the groups' state.
   */
  async placeOnJoin(
    participant: Participant,
  ): Promise<{ room: Room; participant: Participant; result: JoinResult } | undefined> {
    if (!this.isOpen || participant.isTeacher || participant.state !== 'joined') return undefined;
    // Not placed: the join's answer comes with the groups' state (see the join request).
    if (this.assignment !== 'auto') return undefined;
    const placed = await this.main.ctx.membershipQueue.run(async () => {
      const smallest = [...this.groups.values()].sort(
        (a, b) => a.ctx.roster.inLessonCount - b.ctx.roster.inLessonCount,
      )[0]!;
      return this.relocate(this.main, participant, smallest, { enter: true, tell: false });
    });
    this.announce();
    return placed;
  }

  /** A page of someone in a group that lost its connection comes back through the main room. */
  async resume(placeholder: Participant, request: ResumeRequest) {
    for (const room of this.groups.values()) {
      if (!room.ctx.roster.get(request.participantId)) continue;
      const resumed = await room.reconnection.resume(placeholder, request, this.main.ctx.roster);
      if (resumed) return { ...resumed, room };
    }
    return undefined;
  }

  /** Where a participant of the class is, in any room. */
  locate(participantId: string): { room: Room; participant: Participant } {
    for (const room of this.allRooms()) {
      const participant = room.ctx.roster.get(participantId);
      if (participant && (participant.state === 'joined' || participant.state === 'away'))
        return { room, participant };
    }
    throw new NotFoundError('This participant is not in the lesson', 'UNKNOWN_PARTICIPANT');
  }

  /** A removal (made in `done`) holds in every room: the user's tabs anywhere else in the class leave. */
  async removeEverywhere(userKey: string, done: Room): Promise<void> {
    if (!this.isOpen) return;
    await this.main.ctx.membershipQueue.run(async () => {
      for (const room of this.allRooms()) if (room !== done) await room.moderation.removeTabsOf(userKey);
    });
  }

  state(viewer: Participant): BreakoutState {
    const myGroup = [...this.groups.values()].find((room) => room.ctx.roster.get(viewer.id));
    return { ...this.sharedState(), myGroup: myGroup?.ctx.group?.id ?? null };
  }

  /** The groups as everyone sees them; each page adds where it is itself. */
  private sharedState(): Omit<BreakoutState, 'myGroup'> {
    return {
      open: this.isOpen,
      assignment: this.assignment,
      endsAt: this.endsAt,
      closingAt: this.closingAt,
      groups: [...this.groups.values()].map((room) => ({
        id: room.ctx.group!.id,
        name: room.ctx.group!.name,
        members: room.ctx.roster
          .inLesson()
          .map((p) => ({ id: p.id, displayName: p.displayName, role: p.role })),
      })),
    };
  }

  /** Every page in the class hears the current state (built once, not once per page). */
  announce(): void {
    const shared = this.sharedState();
    for (const room of this.allRooms()) {
      const state = { ...shared, myGroup: room.ctx.group?.id ?? null };
      for (const participant of room.ctx.roster.joined()) participant.emit('breakout:state', state);
    }
  }

  private async returnEveryone(): Promise<void> {
    await this.main.ctx.membershipQueue.run(async () => {
      for (const room of this.groups.values()) {
        for (const participant of room.ctx.roster.inLesson()) await this.move(participant, this.main);
      }
      this.shutDown();
    });
    this.announce();
  }

  private shutDown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    for (const room of this.groups.values()) room.close();
    this.groups.clear();
    this.endsAt = null;
    this.closingAt = null;
  }

  private allRooms(): Room[] {
    return [this.main, ...this.groups.values()];
  }

  private roomOf(groupId: string | null): Room {
    if (groupId === null) return this.main;
    const room = this.groups.get(groupId);
    if (!room) throw new NotFoundError('No such breakout room', 'UNKNOWN_GROUP');
    return room;
  }

  /** On the queue: out of one room and into another, with the same connection and seat, the hand down. */
  private async move(participant: Participant, to: Room): Promise<void> {
    const from = this.locate(participant.id).room;
    if (from === to) return;
    await this.relocate(from, participant, to, { enter: true, tell: true });
  }

  private async relocate(
    from: Room,
    participant: Participant,
    to: Room,
    options: { enter: boolean; tell?: boolean },
  ): Promise<{ room: Room; participant: Participant; result: JoinResult } | undefined> {
    const { identity, channel } = participant;
    await from.membership.exit(participant, { reason: 'moved' });
    const moved = to.attach(identity, channel);
    channel.transfer({ room: to, participant: moved });
    if (!options.enter) return undefined;
    let place = { room: to, participant: moved };
    let result: JoinResult;
    try {
      result = await to.membership.enter(moved);
    } catch (error) {
      // The new room could not take them (a worker, the database): back where they were.
      this.main.ctx.logger.warn(
        { err: error, participantId: participant.id },
        'move() | could not move, moved back',
      );
      await to.membership.exit(moved, { reason: 'moved' });
      const back = from.attach(identity, channel);
      channel.transfer({ room: from, participant: back });
      place = { room: from, participant: back };
      result = await from.membership.enter(back);
    }
    if (options.tell)
      place.participant.emit('breakout:moved', { group: place.room.ctx.group ?? null, result });
    return { ...place, result };
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(run, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
