import { ConflictError, NotFoundError } from '../shared/errors.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { LessonRecord, Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import type { WriteBehind } from '../store/WriteBehind.js';
import type { AttendanceService } from './AttendanceService.js';
import type { SeatLedger } from './SeatLedger.js';

export type Lesson = LessonRecord & { _id: string };
export type EndReason = NonNullable<LessonRecord['endedReason']>;

/** Lessons of a classroom: at most one live at a time, across every Aula process. */
export class LessonService {
  constructor(
    private readonly models: Models,
    private readonly writes: WriteBehind,
    private readonly seats: SeatLedger,
    private readonly attendance: AttendanceService,
    private readonly logger: Logger,
    private readonly onEnded: (lesson: Lesson) => Promise<void> = async () => undefined,
  ) {}

  async live(classroomId: string): Promise<Lesson | undefined> {
    const marker = await this.models.liveLessons.findById(classroomId).lean();
    if (!marker) return undefined;
    const lesson = await this.models.lessons.findById(marker.lessonId).lean();
    // A lesson started before the captions settings existed has neither field.
    if (lesson?.status === 'live')
      return {
        ...lesson,
        captionerUserKeys: lesson.captionerUserKeys ?? [],
        keepTranscript: !!lesson.keepTranscript,
      };
    // A marker without its live lesson is left over from an interrupted end.
    await this.models.liveLessons.deleteOne({ _id: classroomId, lessonId: marker.lessonId });
    return undefined;
  }

  /** Every live lesson on every node (at most `limit`), for the operator's view; oldest first. */
  async liveNow(limit = 500): Promise<Array<{ lessonId: string; classroomId: string; startedAt: Date }>> {
    const markers = await this.models.liveLessons.find().limit(limit).lean();
    const lessons = await this.models.lessons
      .find(
        { _id: { $in: markers.map((marker) => marker.lessonId) }, status: 'live' },
        { classroomId: 1, startedAt: 1 },
      )
      .lean();
    return lessons
      .map((lesson) => ({
        lessonId: lesson._id,
        classroomId: lesson.classroomId,
        startedAt: lesson.startedAt,
      }))
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  }

  async recent(classroomId: string, limit: number): Promise<Lesson[]> {
    return this.models.lessons.find({ classroomId }).sort({ startedAt: -1 }).limit(limit).lean();
  }

  async get(lessonId: string): Promise<Lesson> {
    const lesson = await this.models.lessons.findById(lessonId).lean();
    if (!lesson) throw new NotFoundError('Lesson not found');
    return lesson;
  }

  /** Starts a lesson, or returns the one already live (two teachers pressing start get the same lesson). */
  async start(classroomId: string, teacherKey: string): Promise<{ lesson: Lesson; started: boolean }> {
    const existing = await this.live(classroomId);
    if (existing) return { lesson: existing, started: false };
    const now = new Date();
    const lesson = await this.models.lessons.create({
      _id: randomId(),
      classroomId,
      status: 'live',
      startedAt: now,
      startedBy: teacherKey,
      lastActivityAt: now,
    });
    try {
      await this.models.liveLessons.create({ _id: classroomId, lessonId: lesson._id });
    } catch (error) {
      await this.models.lessons.deleteOne({ _id: lesson._id });
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.live(classroomId);
      if (!winner) throw new ConflictError('The lesson is starting, try again', 'LESSON_STARTING');
      return { lesson: winner, started: false };
    }
    this.logger.info({ classroomId, lessonId: lesson._id }, 'start() | lesson started');
    return { lesson: lesson.toObject(), started: true };
  }

  /** Ends a lesson; idempotent, so two processes ending the same idle lesson do no harm. */
  async end(lessonId: string, reason: EndReason): Promise<Lesson> {
    const endedAt = new Date();
    await this.models.lessons.updateOne(
      { _id: lessonId, status: 'live' },
      { $set: { status: 'ended', endedAt, endedReason: reason } },
    );
    const lesson = await this.get(lessonId);
    await this.models.liveLessons.deleteOne({ _id: lesson.classroomId, lessonId });
    await this.seats.clear(lessonId);
    await this.attendance.closeOpenIntervals(lessonId, lesson.endedAt ?? endedAt);
    this.logger.info({ lessonId, reason }, 'end() | lesson ended');
    await this.onEnded(lesson);
    return lesson;
  }

  async touch(lessonId: string): Promise<void> {
    await this.models.lessons.updateOne(
      { _id: lessonId, status: 'live' },
      { $set: { lastActivityAt: new Date() } },
    );
  }

  // The live room changes its lesson in memory at once; these records follow through the write-behind queue.

  setLocked(lessonId: string, locked: boolean): void {
    this.writes.enqueue('lessons.setLocked', () =>
      this.models.lessons.updateOne({ _id: lessonId }, { $set: { locked } }),
    );
  }

  removeUser(lessonId: string, userKey: string): void {
    this.writes.enqueue('lessons.removeUser', async () => {
      await this.models.lessons.updateOne({ _id: lessonId }, { $addToSet: { removedUserKeys: userKey } });
      await this.seats.releaseNow(lessonId, userKey);
    });
  }

  setAutoAdmit(lessonId: string, autoAdmit: boolean): void {
    this.writes.enqueue('lessons.setAutoAdmit', () =>
      this.models.lessons.updateOne({ _id: lessonId }, { $set: { autoAdmit } }),
    );
  }

  /** A user let in: after a reconnect, even to a restarted server, they skip the waiting room. */
  admit(lessonId: string, userKey: string): void {
    this.writes.enqueue('lessons.admit', () =>
      this.models.lessons.updateOne({ _id: lessonId }, { $addToSet: { admittedUserKeys: userKey } }),
    );
  }

  /** A teacher gives or takes the captioner role in the lesson. */
  setCaptioner(lessonId: string, userKey: string, allowed: boolean): void {
    const change = allowed
      ? { $addToSet: { captionerUserKeys: userKey } }
      : { $pull: { captionerUserKeys: userKey } };
    this.writes.enqueue('lessons.setCaptioner', () =>
      this.models.lessons.updateOne({ _id: lessonId }, change),
    );
  }

  setKeepTranscript(lessonId: string, keepTranscript: boolean): void {
    this.writes.enqueue('lessons.setKeepTranscript', () =>
      this.models.lessons.updateOne({ _id: lessonId }, { $set: { keepTranscript } }),
    );
  }

  /** Forgets that a user was removed from lessons or made a captioner in them (erasure of their data). */
  async eraseUser(userKey: string): Promise<number> {
    return (
      await this.models.lessons.updateMany(
        { $or: [{ removedUserKeys: userKey }, { captionerUserKeys: userKey }] },
        { $pull: { removedUserKeys: userKey, captionerUserKeys: userKey } },
      )
    ).modifiedCount;
  }

  /** Ends live lessons nobody has been connected to for idleMs. */
  async endIdle(idleMs: number): Promise<string[]> {
    const cutoff = new Date(Date.now() - idleMs);
    const idle = await this.models.lessons
      .find({ status: 'live', lastActivityAt: { $lt: cutoff } }, { _id: 1 })
      .lean();
    for (const lesson of idle) await this.end(lesson._id, 'idle');
    return idle.map((lesson) => lesson._id);
  }
}
