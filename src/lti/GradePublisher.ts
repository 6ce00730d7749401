import type { Provider } from 'ltijs';
import type { AttendanceService } from '../classroom/AttendanceService.js';
import type { ClassroomService } from '../classroom/ClassroomService.js';
import type { Lesson, LessonService } from '../classroom/LessonService.js';
import type { Logger } from '../shared/logger.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/mongoErrors.js';
import type { PlatformRegistry } from './PlatformRegistry.js';
import { serviceIdToken, type PlatformServices } from './platformServices.js';
import type { RosterService } from './RosterService.js';

export interface GradePublisherOptions {
  pollMs: number;
  maxAttempts: number;
  firstRetryMs: number;
  retentionMs: number;
}

export interface AttendanceScore {
  scoreGiven: number;
  comment: string;
}

/** Minutes present against the teacher's threshold, as a score out of 100 with the attendance state. */
export function attendanceScore(
  minutes: number,
  thresholdMinutes: number,
  status: 'present' | 'late' | 'absent',
): AttendanceScore {
  const scoreGiven = status === 'absent' ? 0 : Math.min(100, Math.round((100 * minutes) / thresholdMinutes));
  const label = { present: 'Present', late: 'Late', absent: 'Absent' }[status];
  return { scoreGiven, comment: `${label}: ${minutes} of ${thresholdMinutes} minutes` };
}

/**
 * Publishes attendance as grades after each lesson (Assignment and Grade
 * Services). Runs as a queue in the database, retried with back-off, so ending
 * a lesson never waits for the LMS, and it works long after the launch because
 * it uses the platform registration's own service token.
 */
export class GradePublisher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      models: Models;
      provider: Provider;
      platforms: PlatformRegistry;
      services: PlatformServices;
      classrooms: ClassroomService;
      lessons: () => LessonService;
      attendance: AttendanceService;
      rosters: RosterService;
      logger: Logger;
    },
    private readonly options: GradePublisherOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Called when a lesson ends: queue it if the classroom publishes grades. */
  async enqueue(lesson: Lesson): Promise<void> {
    const classroom = await this.deps.classrooms.find(lesson.classroomId);
    if (!classroom?.grading?.enabled || !classroom.services?.lineItemsUrl) return;
    const now = new Date();
    try {
      await this.deps.models.gradeJobs.create({
        _id: lesson._id,
        classroomId: lesson.classroomId,
        lessonId: lesson._id,
        status: 'pending',
        nextAttemptAt: now,
        expiresAt: new Date(now.getTime() + this.options.retentionMs),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    this.kick();
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.deps.models.gradeJobs.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  kick(): void {
    this.running ??= this.runDue().finally(() => {
      this.running = undefined;
    });
  }

  async runDue(): Promise<void> {
    try {
      const due = await this.deps.models.gradeJobs
        .find({ status: 'pending', nextAttemptAt: { $lte: new Date() } })
        .limit(10)
        .lean();
      for (const job of due) await this.attempt(job._id);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'runDue() | grade queue failed');
    }
  }

  private async attempt(jobId: string): Promise<void> {
    const { models, logger } = this.deps;
    const job = await models.gradeJobs.findById(jobId).lean();
    if (!job || job.status !== 'pending') return;
    try {
      const published = await this.publish(job.lessonId, job.lineItemId ?? undefined, (lineItemId) =>
        models.gradeJobs.updateOne({ _id: jobId }, { $set: { lineItemId } }).then(() => undefined),
      );
      await models.gradeJobs.updateOne(
        { _id: jobId },
        { $set: { status: 'done', published, attempts: job.attempts + 1 } },
      );
      logger.info({ lessonId: job.lessonId, published }, 'attempt() | attendance published as grades');
    } catch (error) {
      const attempts = job.attempts + 1;
      const failed = attempts >= this.options.maxAttempts;
      const delay = Math.min(60 * 60_000, this.options.firstRetryMs * 2 ** (attempts - 1));
      await models.gradeJobs.updateOne(
        { _id: jobId },
        {
          $set: {
            attempts,
            status: failed ? 'failed' : 'pending',
            nextAttemptAt: new Date(Date.now() + delay),
            lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
          },
        },
      );
      logger.warn(
        { lessonId: job.lessonId, attempts, failed, err: error },
        'attempt() | grade publishing failed',
      );
    }
  }

  private async publish(
    lessonId: string,
    knownLineItem: string | undefined,
    remember: (id: string) => Promise<void>,
  ): Promise<number> {
    const lesson = await this.deps.lessons().get(lessonId);
    const classroom = await this.deps.classrooms.get(lesson.classroomId);
    const platform = await this.deps.platforms.get(classroom.platformId);
    const threshold = classroom.grading?.thresholdMinutes ?? 30;
    const idToken = serviceIdToken(platform, {
      endpoint: {
        lineitems: classroom.services?.lineItemsUrl ?? undefined,
        scope: classroom.services?.agsScopes ?? undefined,
      },
    });
    const call = <T>(what: string, request: () => Promise<T>) =>
      this.deps.services.call(platform, what, request);
    let lineItemId = knownLineItem;
    if (!lineItemId) {
      const date = lesson.startedAt.toISOString().slice(0, 10);
      const created = await call('line item', () =>
        this.deps.provider.Grade.createLineItem(idToken, {
          scoreMaximum: 100,
          label: `${classroom.title} – attendance ${date}`,
          tag: 'aula-attendance',
          resourceId: lesson._id,
          ...(classroom.resourceLinkId ? { resourceLinkId: classroom.resourceLinkId } : {}),
        }),
      );
      lineItemId = created.id;
      await remember(lineItemId);
    }
    const lineItem = lineItemId;
    const roster = await this.deps.rosters.roster(classroom._id);
    const entries = await this.deps.attendance.report(lesson, classroom.lateAfterMinutes, roster);
    let published = 0;
    for (const entry of entries) {
      if (!entry.lmsUserId || entry.role === 'teacher' || entry.role === 'guest') continue;
      const { scoreGiven, comment } = attendanceScore(entry.minutes, threshold, entry.status);
      await call('score', () =>
        this.deps.provider.Grade.submitScore(idToken, lineItem, {
          userId: entry.lmsUserId,
          scoreGiven,
          scoreMaximum: 100,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          comment,
        }),
      );
      published += 1;
    }
    return published;
  }
}
