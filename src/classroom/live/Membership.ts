import type { JoinResult } from '../../protocol/index.js';
import { ConflictError, ForbiddenError, ServiceUnavailableError } from '../../shared/errors.js';
import { requireActive } from '../activation.js';
import type { Chat } from './Chat.js';
import type { MediaSession } from './MediaSession.js';
import type { Participant } from './Participant.js';
import { inLesson, type LobbyReason } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';

/**
 * Why someone leaves the lesson. A deliberate leave, a denial, a removal and
 * the end of the grace period free the seat at once; only a server shutting
 * down keeps it for the grace period, for the reconnect to the next process,
 * and moving to another room of the class (breakout rooms) keeps it outright.
 */
export type ExitReason = 'left' | 'gone' | 'denied' | 'removed' | 'closing' | 'moved';

/**
 * Who is in the lesson: the join guards, entering (seat, media, attendance),
 * waiting, and leaving. Every change runs on the room's membership queue;
 * `enter` and `exit` are for features already on it (the lobby, the lesson
 * lifecycle, moderation, reconnection).
 */
export class Membership {
  private closed = false;

  constructor(
    private readonly ctx: RoomContext,
    private readonly media: MediaSession,
    private readonly views: RoomViews,
    private readonly chat: Chat,
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
    participant.waitingSince = Date.now();
    this.ctx.roster.transition(participant, 'lobby', reason);
    return this.views.lobbyResult(participant);
  }

  /** Seat, media, attendance: in this order, undone in reverse if a later step fails. On the queue. */
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
      await this.media.attach(participant);
    } catch (error) {
      if (!participant.isTeacher && !roster.hasOtherTabInLesson(participant)) {
        this.releaseSeat(lesson._id, participant.userKey, 'now');
      }
      throw error;
    }
    // One attendance interval per person: a second tab shares the first one's.
    participant.attendanceId =
      roster.otherTabInLesson(participant)?.attendanceId ??
      services.attendance.open(this.ctx.classroomId, lesson._id, {
        userKey: participant.userKey,
        lmsUserId: participant.identity.lmsUserId,
        displayName: participant.displayName,
        role: participant.role,
        ...(this.ctx.group ? { room: this.ctx.group.name } : {}),
      });
    if (!lesson.admittedUserKeys.includes(participant.userKey)) {
      lesson.admittedUserKeys.push(participant.userKey);
      services.lessons.admit(lesson._id, participant.userKey);
    }
    roster.transition(participant, 'joined');
    roster.broadcast('participantJoined', participant.info(), participant);
    this.ctx.logger.info(
      { participantId: participant.id, role: participant.role },
      'enter() | participant joined',
    );
    return this.joinedResult(participant);
  }

  /**
   * Takes a participant out: media, attendance (closed at `at`, when they
   * really went), then the seat. On the queue.
   */
  async exit(participant: Participant, options: { reason: ExitReason; at?: Date }): Promise<void> {
    const { roster, services } = this.ctx;
    const from = participant.state;
    if (from === 'left') return;
    const wasInLesson = inLesson(from);
    if (wasInLesson) this.media.detach(participant);
    const attendanceId = participant.attendanceId;
    participant.attendanceId = undefined;
    participant.awaySince = undefined;
    roster.transition(participant, options.reason === 'removed' ? 'removed' : 'left');
    if (!wasInLesson) return;
    roster.broadcast('participantLeft', { participantId: participant.id });
    const otherTab = roster.otherTabInLesson(participant);
    if (attendanceId && otherTab?.attendanceId !== attendanceId)
      services.attendance.close(attendanceId, options.at);
    const lessonId = this.ctx.lesson?._id;
    if (lessonId && !participant.isTeacher && !otherTab && options.reason !== 'moved') {
      this.releaseSeat(lessonId, participant.userKey, options.reason === 'closing' ? 'afterGrace' : 'now');
    }
  }

  async joinedResult(participant: Participant): Promise<Extract<JoinResult, { status: 'joined' }>> {
    return {
      status: 'joined',
      self: participant.info(),
      resumeKey: participant.resumeKey,
      permissions: this.views.permissions(participant),
      room: this.views.state(participant),
      media: this.media.setup(),
      chat: await this.chat.historyFor(participant),
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

  /** Seat releases wait in the write-behind queue: leaving never waits for the database. */
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

  private releaseSeat(lessonId: string, userKey: string, when: 'now' | 'afterGrace'): void {
    const { seats, writes } = this.ctx.services;
    writes.enqueue(`seats.release.${when}`, () =>
      when === 'now' ? seats.releaseNow(lessonId, userKey) : seats.releaseAfterGrace(lessonId, userKey),
    );
  }
}
