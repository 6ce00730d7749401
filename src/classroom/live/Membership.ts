import type { JoinResult } from '../../signaling/protocol.js';
import { ConflictError, ForbiddenError, ServiceUnavailableError } from '../../shared/errors.js';
import type { Chat } from './Chat.js';
import type { MediaSession } from './MediaSession.js';
import type { Participant } from './Participant.js';
import type { LobbyReason } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';

export type ExitReason = 'left' | 'disconnected' | 'denied' | 'removed' | 'closing';

/**
 * Who is in the lesson: the join guards, entering (seat, media, attendance),
 * waiting, and leaving. Every change runs on the room's membership queue;
 * `enter` and `exit` are for features already on it (the lobby, the lesson
 * lifecycle, moderation).
 */
export class Membership {
  /** Users admitted during this lesson: a reconnect does not send them back to the waiting room. */
  private readonly admitted = new Set<string>();
  private closed = false;

  constructor(
    private readonly ctx: RoomContext,
    private readonly media: MediaSession,
    private readonly views: RoomViews,
    private readonly chat: Chat,
  ) {}

  /** Join guards in order: closing, already in, removed, no lesson, locked, waiting room; then a seat. */
  join(participant: Participant): Promise<JoinResult> {
    return this.ctx.membershipQueue.run(async () => {
      if (this.closed)
        throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
      if (participant.state !== 'connected') throw new ConflictError('Already joined', 'ALREADY_JOINED');
      const lesson = this.ctx.lesson;
      if (lesson?.removedUserKeys.includes(participant.userKey)) {
        this.ctx.roster.transition(participant, 'removed');
        throw new ForbiddenError('The teacher removed you from this lesson.', 'REMOVED');
      }
      if (!lesson) return this.wait(participant, 'not-started');
      const admitted = participant.isTeacher || this.admitted.has(participant.userKey);
      if (lesson.locked && !admitted) {
        throw new ForbiddenError('The teacher has locked this lesson; nobody new can join.', 'ROOM_LOCKED');
      }
      const mustWait = !admitted && (participant.role === 'guest' || this.ctx.classroom.lobbyEnabled);
      if (mustWait) return this.wait(participant, 'waiting-room');
      return this.enter(participant);
    });
  }

  /** The participant pressed leave, or its connection closed: the seat waits out the grace period. */
  leave(participant: Participant, reason: 'left' | 'disconnected'): Promise<void> {
    return this.ctx.membershipQueue.run(() => this.exit(participant, { reason, keepSeat: true }));
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
    const { classroom, services } = this.ctx;
    if (!participant.isTeacher) {
      const seat = await services.seats.take({
        lessonId: lesson._id,
        userKey: participant.userKey,
        kind: participant.role === 'guest' ? 'guest' : 'enrolled',
        seatCap: classroom.seatCap,
        reservedSeats: classroom.reservedSeats,
      });
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
      participant.attendanceId = await services.attendance.open(this.ctx.classroomId, lesson._id, {
        userKey: participant.userKey,
        lmsUserId: participant.identity.lmsUserId,
        displayName: participant.displayName,
        role: participant.role,
      });
    } catch (error) {
      this.media.detach(participant);
      if (!participant.isTeacher && !this.ctx.roster.hasOtherJoinedTab(participant)) {
        await services.seats.releaseNow(lesson._id, participant.userKey);
      }
      throw error;
    }
    this.admitted.add(participant.userKey);
    this.ctx.roster.transition(participant, 'joined');
    this.ctx.roster.broadcast('participantJoined', participant.info(), participant);
    this.ctx.logger.info(
      { participantId: participant.id, role: participant.role },
      'enter() | participant joined',
    );
    return this.joinedResult(participant);
  }

  /**
   * Takes a participant out: media, attendance, then the seat (kept for the
   * grace period on a leave or disconnect, freed at once otherwise). On the queue.
   */
  async exit(participant: Participant, options: { reason: ExitReason; keepSeat: boolean }): Promise<void> {
    const { roster, services } = this.ctx;
    const from = participant.state;
    if (from === 'left') return;
    if (from === 'joined') this.media.detach(participant);
    const attendanceId = participant.attendanceId;
    participant.attendanceId = undefined;
    roster.transition(participant, options.reason === 'removed' ? 'removed' : 'left');
    if (from !== 'joined') return;
    roster.broadcast('participantLeft', { participantId: participant.id });
    if (attendanceId) await services.attendance.close(attendanceId);
    const lessonId = this.ctx.lesson?._id;
    if (lessonId && !participant.isTeacher && !roster.hasOtherJoinedTab(participant)) {
      if (options.keepSeat) await services.seats.releaseAfterGrace(lessonId, participant.userKey);
      else await services.seats.releaseNow(lessonId, participant.userKey);
    }
  }

  /** A new lesson (or none): nobody counts as admitted any more. */
  resetAdmissions(): void {
    this.admitted.clear();
  }

  async joinedResult(participant: Participant): Promise<JoinResult> {
    return {
      status: 'joined',
      self: participant.info(),
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
        await this.exit(participant, { reason: 'closing', keepSeat: true });
        participant.channel.disconnect('server shutting down');
      }
    });
  }
}
