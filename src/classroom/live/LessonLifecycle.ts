import { ConflictError } from '../../shared/errors.js';
import { requireActive } from '../activation.js';
import type { EndReason, Lesson } from '../LessonService.js';
import type { MediaSession } from './MediaSession.js';
import type { Membership } from './Membership.js';
import type { Participant } from './Participant.js';
import type { Reconnection } from './Reconnection.js';
import type { RoomContext, RoomRecords } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';
import { seatHolders } from './waitingRoom.js';

/** Starting, locking, keeping alive and ending the lesson; the only writer of the room's lesson. */
export class LessonLifecycle {
  private heartbeatQueued = false;
  /** Called when a lesson ended, after everyone was told (features with lesson-long state clear it). */
  private readonly endedListeners: Array<() => void> = [];

  onEnded(listener: () => void): void {
    this.endedListeners.push(listener);
  }

  /** Awaited first thing when a lesson ends, on the membership queue (breakout rooms come back). */
  private readonly endingListeners: Array<(reason: EndReason) => Promise<void>> = [];

  onEnding(listener: (reason: EndReason) => Promise<void>): void {
    this.endingListeners.push(listener);
  }

  constructor(
    private readonly ctx: RoomContext,
    private readonly records: RoomRecords,
    private readonly membership: Membership,
    private readonly media: MediaSession,
    private readonly reconnection: Reconnection,
    private readonly views: RoomViews,
  ) {}

  /** Starts the lesson (or returns the running one); whoever waited for the start comes in. */
  start(teacher: Participant): Promise<Lesson> {
    return this.ctx.membershipQueue.run(async () => {
      if (this.records.lesson) return this.records.lesson;
      const { services } = this.ctx;
      await requireActive(services.isActive, this.ctx.classroom);
      const { lesson } = await services.databaseHealth.guard(() =>
        services.lessons.start(this.ctx.classroomId, teacher.userKey),
      );
      this.records.lesson = lesson;
      // Teachers first, so students enter a lesson that has its teacher; guests still need admission.
      const waiting = this.ctx.roster
        .inState('lobby')
        .sort((a, b) => Number(b.isTeacher) - Number(a.isTeacher));
      for (const participant of waiting) {
        if (participant.role === 'guest') {
          this.ctx.roster.transition(participant, 'lobby', 'waiting-room');
          continue;
        }
        if (participant.lobbyReason !== 'not-started') continue;
        try {
          participant.emit('lesson:started', await this.membership.enter(participant));
        } catch (error) {
          this.ctx.roster.transition(participant, 'lobby', 'waiting-room');
          this.ctx.logger.warn(
            { participantId: participant.id, err: error },
            'start() | could not bring a waiting participant in',
          );
        }
      }
      return lesson;
    });
  }

  /** Ends the lesson for everyone; seats and attendance close. */
  end(reason: EndReason): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const lesson = this.records.lesson;
      if (!lesson) return;
      for (const listener of this.endingListeners) await listener(reason);
      this.records.lesson = undefined;
      this.media.close();
      this.reconnection.clear();
      // Nobody waits for a page that is away from a lesson that is over.
      for (const participant of this.ctx.roster.inState('away')) {
        await this.membership.exit(participant, {
          reason: 'gone',
          at: new Date(participant.awaySince ?? Date.now()),
        });
      }
      // Everyone in or waiting for this lesson is told it ended and stays out of the next one
      // until they choose to join again.
      const told = [...this.ctx.roster.joined(), ...this.ctx.roster.inState('lobby')];
      for (const participant of told) {
        participant.attendanceId = undefined;
        this.ctx.roster.transition(participant, 'connected');
      }
      const { databaseHealth, writes, lessons } = this.ctx.services;
      // This room's queued writes to the lesson land first: a write racing the end could undo it.
      await databaseHealth.guard(async () => {
        await writes.settled();
        await lessons.end(lesson._id, reason);
      });
      for (const participant of told) participant.emit('lesson:ended', { reason });
      for (const listener of this.endedListeners) listener();
    });
  }

  /** The school switched Aula off: a running lesson ends for everyone in it, and says why. */
  async endIfSwitchedOff(): Promise<void> {
    if (!this.records.lesson || (await this.ctx.services.isActive(this.ctx.classroom))) return;
    this.ctx.logger.info('endIfSwitchedOff() | Aula switched off for this school, lesson ended');
    await this.end('admin');
  }

  /** Another process (or the idle sweeper) ended the lesson: reflect it here. */
  async endedElsewhere(lessonId: string): Promise<void> {
    if (this.records.lesson?._id === lessonId) await this.end('idle');
  }

  setLocked(locked: boolean): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const lesson = this.records.lesson;
      if (!lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
      lesson.locked = locked;
      this.ctx.services.lessons.setLocked(lesson._id, locked);
      this.views.broadcastState();
    });
  }

  /** Seats, attendance and lesson activity stay fresh while people are connected. */
  heartbeat(): void {
    const lesson = this.records.lesson;
    const present = this.ctx.roster.inLesson();
    if (!lesson || present.length === 0 || this.heartbeatQueued) return;
    const { seats, attendance, lessons, writes } = this.ctx.services;
    // Seats of participants who are away are kept for their return; their attendance is not renewed,
    // so if this process dies meanwhile their interval ends when their connection went.
    const holders = [...seatHolders(present)];
    const connected = present.filter((p) => p.state === 'joined' && p.attendanceId);
    const intervals = [...new Set(connected.map((p) => p.attendanceId!))];
    // In line with the room's other writes: on a database that updates documents by rewriting
    // them (FerretDB), a renewal racing a close would reopen the interval. One waits at most.
    this.heartbeatQueued = true;
    writes.enqueue('heartbeat', async () => {
      this.heartbeatQueued = false;
      await seats.renew(lesson._id, holders);
      await attendance.heartbeat(intervals);
      await lessons.touch(lesson._id);
    });
  }
}
