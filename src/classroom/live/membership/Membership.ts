import type { JoinResult } from '../../../protocol/index.js';
import { ConflictError, ForbiddenError, ServiceUnavailableError } from '../../../shared/errors.js';
import { requireActive } from '../../activation.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Group } from '../groups/Group.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import { inLesson, type LobbyReason } from '../participantState.js';
import type { Views } from '../Views.js';
import type { LessonLifecycle } from './LessonLifecycle.js';

/**
 * Why someone leaves the lesson. A deliberate leave, a denial, a removal and
 * the end of the grace period free the seat at once; only a server shutting
 * down keeps it for the grace period, for the reconnect to the next process.
 */
export type ExitReason = 'left' | 'gone' | 'denied' | 'removed' | 'closing';

/**
 * Who is in the lesson: the join guards, entering (seat, a place in a group,
 * attendance), waiting, and leaving. It keeps each participant's open
 * attendance interval. Every change runs on the classroom's membership
 * queue; `enter` and `exit` are for features already on it (the lobby,
 * the lesson's start and end, moderation, reconnection).
 */
export class Membership {
  private closed = false;
  private readonly attendance = new Map<string, string>();

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly lesson: LessonLifecycle,
    private readonly groups: Groups,
    private readonly views: Views,
  ) {}

  /** Join guards in order: closing, already in, switched off, removed, no lesson, locked, waiting room; then a seat. */
  join(participant: Participant): Promise<JoinResult> {
    return this.ctx.membershipQueue.run(async () => {
      if (this.closed)
        throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
      if (participant.state !== 'connected') throw new ConflictError('Already joined', 'ALREADY_JOINED');
      await requireActive(this.ctx.services.isActive, this.ctx.classroom);
      const lesson = this.ctx.lesson;
      if (lesson?.removedUserKeys.includes(participant.userKey)) {
        this.ctx.roster.transition(participant, 'removed');
        throw new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
      }
      const { classroom } = this.ctx;
      if (participant.role === 'guest' && classroom.endToEndEncryption && !classroom.encryptedGuestsAllowed) {
        throw new ForbiddenError(
          'This lesson is end-to-end encrypted and admits no guests.',
          'ENCRYPTION_NOT_FOR_GUESTS',
        );
      }
      if (!lesson) return this.wait(participant, 'not-started');
      const admitted = participant.isTeacher || lesson.admittedUserKeys.includes(participant.userKey);
      if (lesson.locked && !admitted) {
        throw new ForbiddenError('The teacher has locked this lesson; nobody new can join.', 'ROOM_LOCKED');
      }
      const mustWait = !admitted && (participant.role === 'guest' || this.ctx.classroom.lobbyEnabled);
      if (mustWait) return this.wait(participant, 'waiting-room');
      return this.enter(participant);
    });
  }

  /** The page pressed leave (or was closed): out at once, the seat free for the next in line. */
  leave(participant: Participant, reason: ExitReason): Promise<void> {
    return this.ctx.membershipQueue.run(() => this.exit(participant, { reason }));
  }

  wait(participant: Participant, reason: LobbyReason): JoinResult {
    this.ctx.roster.transition(participant, 'lobby', reason);
    return this.views.lobbyResult(participant);
  }

  /** Seat, a place in the main room, attendance: in this order, undone in reverse if a later step fails. On the queue. */
  async enter(participant: Participant): Promise<JoinResult> {
    const lesson = this.ctx.lesson;
    if (!lesson) throw new ConflictError('Start the lesson before admitting anyone', 'LESSON_NOT_STARTED');
    const { classroom, services, roster } = this.ctx;
    if (!participant.isTeacher) {
      const seat = await services.databaseHealth.guard(
        async () => {
          // Seats released a moment ago (a leave) are still queued: let them land before counting.
          await services.writes.settled();
          return services.seats.take({
            lessonId: lesson._id,
            userKey: participant.userKey,
            kind: participant.role === 'guest' ? 'guest' : 'enrolled',
            seatCap: classroom.seatCap,
            reservedSeats: classroom.reservedSeats,
          });
        },
        (late) => {
          if (late.granted) this.releaseUnusedSeat(lesson._id, participant.userKey);
        },
      );
      if (!seat.granted) {
        throw new ConflictError(
          'All seats in this classroom are taken. Try again in a moment.',
          'ROOM_FULL',
          {
            seatCap: classroom.seatCap,
            retryAfterSeconds: 10,
          },
        );
      }
    }
    try {
      await this.groups.enter(participant);
    } catch (error) {
      if (!participant.isTeacher && !roster.otherTabInLesson(participant)) {
        this.releaseSeat(lesson._id, participant.userKey, 'now');
      }
      throw error;
    }
    this.openAttendance(participant, this.groups.main);
    this.lesson.admit(participant.userKey);
    roster.transition(participant, 'joined');
    this.groups.main.members.broadcast('participantJoined', this.views.info(participant), participant);
    this.ctx.logger.info(
      { participantId: participant.id, role: participant.role },
      'enter() | participant joined',
    );
    return this.joinedResult(participant);
  }

  /**
   * Takes a participant out: their group (media, hand), attendance (closed at
   * `at`, when they really went), then the seat. On the queue.
   */
  async exit(participant: Participant, options: { reason: ExitReason; at?: Date }): Promise<void> {
    const { roster } = this.ctx;
    const from = participant.state;
    if (from === 'left') return;
    const group = inLesson(from) ? this.groups.leave(participant) : undefined;
    const attendanceId = this.attendance.get(participant.id);
    this.attendance.delete(participant.id);
    roster.transition(participant, options.reason === 'removed' ? 'removed' : 'left');
    if (!inLesson(from)) return;
    group?.members.broadcast('participantLeft', { participantId: participant.id });
    const otherTab = roster.otherTabInLesson(participant);
    if (attendanceId && this.attendance.get(otherTab?.id ?? '') !== attendanceId)
      this.ctx.services.attendance.close(attendanceId, options.at);
    const lessonId = this.ctx.lesson?._id;
    if (lessonId && !participant.isTeacher && !otherTab) {
      this.releaseSeat(lessonId, participant.userKey, options.reason === 'closing' ? 'afterGrace' : 'now');
    }
  }

  /** Moved to another group: attendance continues there, in an interval of its own (the report names the room). */
  moveAttendance(participant: Participant, to: Group): void {
    const attendanceId = this.attendance.get(participant.id);
    const otherTab = this.ctx.roster.otherTabInLesson(participant);
    if (attendanceId && this.attendance.get(otherTab?.id ?? '') !== attendanceId)
      this.ctx.services.attendance.close(attendanceId);
    this.attendance.delete(participant.id);
    this.openAttendance(participant, to);
  }

  /** The open attendance intervals of people connected now, for the heartbeat. */
  connectedIntervals(): string[] {
    const connected = this.ctx.roster.joined().flatMap((p) => this.attendance.get(p.id) ?? []);
    return [...new Set(connected)];
  }

  /** A page came back after a gap: its interval records it. */
  recordGap(participant: Participant, from: Date): void {
    const attendanceId = this.attendance.get(participant.id);
    if (attendanceId) this.ctx.services.attendance.recordGap(attendanceId, from, new Date());
  }

  /** The lesson ended: its intervals end with it (LessonService.end closes them). */
  forgetAttendance(): void {
    this.attendance.clear();
  }

  async joinedResult(participant: Participant): Promise<Extract<JoinResult, { status: 'joined' }>> {
    const group = this.groups.of(participant) ?? this.groups.main;
    return {
      status: 'joined',
      self: this.views.info(participant),
      resumeKey: participant.resumeKey,
      permissions: this.views.permissions(participant),
      room: this.views.state(participant),
      media: group.media.setup(),
      chat: await group.chat.historyFor(participant),
    };
  }

  /**
   * Shutdown: everyone leaves as on a disconnect, so attendance closes now and
   * seats wait out the grace period for a reconnect to another process.
   */
  closeAll(): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      this.closed = true;
      for (const participant of this.ctx.roster.all()) {
        await this.exit(participant, { reason: 'closing' });
        participant.channel.disconnect('server shutting down');
      }
    });
  }

  /** One attendance interval per person: a second tab shares the first one's. */
  private openAttendance(participant: Participant, group: Group): void {
    const lesson = this.ctx.lesson;
    if (!lesson) return;
    const otherTab = this.ctx.roster.otherTabInLesson(participant);
    const shared =
      otherTab && this.groups.of(otherTab) === group ? this.attendance.get(otherTab.id) : undefined;
    this.attendance.set(
      participant.id,
      shared ??
        this.ctx.services.attendance.open(this.ctx.classroomId, lesson._id, {
          userKey: participant.userKey,
          lmsUserId: participant.identity.lmsUserId,
          displayName: participant.displayName,
          role: participant.role,
          ...(group.info ? { room: group.info.name } : {}),
        }),
    );
  }

  /**
   * A seat the database granted after the page was told "busy": freed again, on the queue, unless a
   * tab of the same person has entered with it meanwhile.
   */
  private releaseUnusedSeat(lessonId: string, userKey: string): void {
    void this.ctx.membershipQueue.run(async () => {
      if (this.ctx.roster.tabInLesson(userKey)) return;
      this.releaseSeat(lessonId, userKey, 'now');
    });
  }

  /** Seat releases wait in the write-behind queue: leaving never waits for the database. */
  private releaseSeat(lessonId: string, userKey: string, when: 'now' | 'afterGrace'): void {
    const { seats, writes } = this.ctx.services;
    writes.enqueue(`seats.release.${when}`, () =>
      when === 'now' ? seats.releaseNow(lessonId, userKey) : seats.releaseAfterGrace(lessonId, userKey),
    );
  }
}
