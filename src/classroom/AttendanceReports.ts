import type { AttendanceEntry, AttendanceService, RosterMember } from './AttendanceService.js';
import type { ClassroomService } from './ClassroomService.js';
import type { Lesson, LessonService } from './LessonService.js';
import { NotFoundError } from '../shared/errors.js';
import { lmsUserKey } from './userKeys.js';

/** Where the course roster comes from (the LMS's Names and Roles service, cached). */
export interface RosterSource {
  roster(classroomId: string): Promise<RosterMember[]>;
}

export interface RosterStatus {
  lmsUserId: string;
  name: string;
  role: RosterMember['role'];
  status: AttendanceEntry['status'] | 'expected';
}

export interface LessonSummary {
  id: string;
  status: 'live' | 'ended';
  startedAt: Date;
  endedAt: Date | null;
  durationMinutes: number;
  /** Students and guests who came (teachers not counted). */
  attendees: number;
}

/** What a teacher reads about lessons: the history, and attendance against the course roster. */
export class AttendanceReports {
  constructor(
    private readonly classrooms: ClassroomService,
    private readonly lessons: LessonService,
    private readonly attendance: AttendanceService,
    private readonly rosters: RosterSource,
  ) {}

  /** A lesson's attendance (the latest lesson when none is named). */
  async forLesson(
    classroomId: string,
    lessonId: string | undefined,
  ): Promise<{ lesson: Lesson; entries: AttendanceEntry[] }> {
    const classroom = await this.classrooms.get(classroomId);
    const lesson = lessonId
      ? await this.lessons.get(lessonId)
      : ((await this.lessons.recent(classroomId, 1))[0] ?? undefined);
    if (!lesson || lesson.classroomId !== classroomId)
      throw new NotFoundError('No lesson to report on', 'NO_LESSON');
    const roster = await this.rosters.roster(classroomId);
    return { lesson, entries: await this.attendance.report(lesson, classroom.lateAfterMinutes, roster) };
  }

  /** The classroom's lessons, newest first: when, how long, how many people came. */
  async history(classroomId: string, limit = 50): Promise<LessonSummary[]> {
    const lessons = await this.lessons.recent(classroomId, limit);
    const attendees = await this.attendance.attendeesByLesson(lessons.map((lesson) => lesson._id));
    return lessons.map((lesson) => {
      const end = lesson.endedAt ?? new Date();
      return {
        id: lesson._id,
        status: lesson.status,
        startedAt: lesson.startedAt,
        endedAt: lesson.endedAt ?? null,
        durationMinutes: Math.max(0, Math.round((end.getTime() - lesson.startedAt.getTime()) / 60_000)),
        attendees: attendees.get(lesson._id) ?? 0,
      };
    });
  }

  /** The course roster with each member's state in the live lesson (or `expected` without one). */
  async roster(classroomId: string): Promise<RosterStatus[]> {
    const classroom = await this.classrooms.get(classroomId);
    const members = await this.rosters.roster(classroom._id);
    const lesson = await this.lessons.live(classroom._id);
    const report = lesson ? await this.attendance.report(lesson, classroom.lateAfterMinutes, members) : [];
    const status = new Map(report.map((entry) => [entry.userKey, entry.status]));
    return members.map((member) => ({
      lmsUserId: member.lmsUserId,
      name: member.name ?? member.lmsUserId,
      role: member.role,
      status: lesson
        ? (status.get(lmsUserKey(classroom.platformId, member.lmsUserId)) ?? 'absent')
        : 'expected',
    }));
  }
}
