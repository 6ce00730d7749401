import { ConflictError } from '../../../shared/errors.js';
import { requireActive } from '../../activation.js';
import type { EndReason, Lesson } from '../../LessonService.js';
import type { ClassroomContext, ClassroomRecords, LessonView } from '../ClassroomContext.js';
import type { Participant } from '../Participant.js';
import { seatHolders } from './waitingRoom.js';

/**
 * The classroom's lesson record and its one writer: beginning and finishing
 * the lesson, who was admitted or removed, the lock, the teacher's switch
 * for letting people in by themselves, the captioners and the transcript
 * switch, and keeping seats, attendance and the
 * lesson fresh. Each change lands in memory at once and in the database
 * through the write-behind queue. Who comes in or goes when the lesson
 * starts or ends is the classroom's (Classroom.startLesson / endLesson).
 */
export class LessonLifecycle {
  private heartbeatQueued = false;

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly records: ClassroomRecords,
  ) {}

  get current(): LessonView | undefined {
    return this.records.lesson;
  }

  /** The running lesson, or a refusal for requests that need one. */
  require(message = 'No lesson is running'): LessonView {
    const lesson = this.records.lesson;
    if (!lesson) throw new ConflictError(message, 'LESSON_NOT_STARTED');
    return lesson;
  }

  /** Starts the lesson (on the membership queue); false when it was running already. */
  async begin(teacher: Participant): Promise<boolean> {
    if (this.records.lesson) return false;
    const { services } = this.ctx;
    await requireActive(services.isActive, this.ctx.classroom);
    const { lesson } = await services.databaseHealth.guard(() =>
      services.lessons.start(this.ctx.classroomId, teacher.userKey),
    );
    this.records.lesson = lesson;
    return true;
  }

  /** The lesson is over here at once (on the membership queue); answers the lesson that ended. */
  close(): Lesson | undefined {
    const lesson = this.records.lesson;
    this.records.lesson = undefined;
    return lesson;
  }

  /** The ended lesson's record ends in the database once this classroom's queued writes landed. */
  async recordEnd(lesson: Lesson, reason: EndReason): Promise<void> {
    const { databaseHealth, writes, lessons } = this.ctx.services;
    // A write racing the end could undo it.
    await databaseHealth.guard(async () => {
      await writes.settled();
      await lessons.end(lesson._id, reason);
    });
  }

  /** Someone came in: after a reconnect, even to a restarted server, they skip the waiting room. */
  admit(userKey: string): void {
    const lesson = this.records.lesson;
    if (!lesson || lesson.admittedUserKeys.includes(userKey)) return;
    lesson.admittedUserKeys.push(userKey);
    this.ctx.services.lessons.admit(lesson._id, userKey);
  }

  /** A teacher removed someone: they stay out for the rest of the lesson (their seat frees). */
  removeUser(userKey: string): void {
    const lesson = this.records.lesson;
    if (!lesson || lesson.removedUserKeys.includes(userKey)) return;
    lesson.removedUserKeys.push(userKey);
    this.ctx.services.lessons.removeUser(lesson._id, userKey);
  }

  setLocked(locked: boolean): void {
    const lesson = this.running();
    lesson.locked = locked;
    this.ctx.services.lessons.setLocked(lesson._id, locked);
  }

  /** The teacher's switch; false when it was already so. */
  setAutoAdmit(enabled: boolean): boolean {
    const lesson = this.running();
    if (lesson.autoAdmit === enabled) return false;
    lesson.autoAdmit = enabled;
    this.ctx.services.lessons.setAutoAdmit(lesson._id, enabled);
    return true;
  }

  /** A teacher gives or takes the captioner role; kept with the lesson, so a restart or a move keeps it. */
  setCaptioner(userKey: string, allowed: boolean): void {
    const lesson = this.running();
    const holds = lesson.captionerUserKeys.includes(userKey);
    if (holds === allowed) return;
    if (allowed) lesson.captionerUserKeys.push(userKey);
    else lesson.captionerUserKeys.splice(lesson.captionerUserKeys.indexOf(userKey), 1);
    this.ctx.services.lessons.setCaptioner(lesson._id, userKey, allowed);
  }

  /** The teacher's transcript switch, kept with the lesson like the captioners. */
  setKeepTranscript(keep: boolean): void {
    const lesson = this.running();
    if (lesson.keepTranscript === keep) return;
    lesson.keepTranscript = keep;
    this.ctx.services.lessons.setKeepTranscript(lesson._id, keep);
  }

  /**
   * Seats, attendance and lesson activity stay fresh while people are in the
   * lesson: once for the whole class, whatever group each is in.
   */
  heartbeat(attendanceIntervals: string[]): void {
    const lesson = this.records.lesson;
    const present = this.ctx.roster.inLesson();
    if (!lesson || present.length === 0 || this.heartbeatQueued) return;
    const { seats, attendance, lessons, writes } = this.ctx.services;
    // Seats of participants who are away are kept for their return; their attendance is not renewed,
    // so if this process dies meanwhile their interval ends when their connection went.
    const holders = [...seatHolders(present)];
    // In line with the classroom's other writes: on a database that updates documents by rewriting
    // them (FerretDB), a renewal racing a close would reopen the interval. One waits at most.
    this.heartbeatQueued = true;
    writes.enqueue('heartbeat', async () => {
      this.heartbeatQueued = false;
      await seats.renew(lesson._id, holders);
      await attendance.heartbeat(attendanceIntervals);
      await lessons.touch(lesson._id);
    });
  }

  private running(): Lesson {
    const lesson = this.records.lesson;
    if (!lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
    return lesson;
  }
}
