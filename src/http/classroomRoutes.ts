import { Router, json } from 'express';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { attendanceCsv, type RosterMember } from '../classroom/AttendanceService.js';
import { lmsUserKey } from '../classroom/userKeys.js';
import { NotFoundError } from '../shared/errors.js';
import { classroomSettingsSchema, guestAccessRequestSchema } from './apiSchemas.js';
import { asyncRoute } from './asyncRoute.js';
import { claimsOf, requireJoinToken, requireMemberOf, requireTeacherOf } from './authentication.js';

export interface RosterSource {
  /** The course roster for a classroom, refreshed from the platform when stale. */
  roster(classroomId: string): Promise<RosterMember[]>;
}

/** The classroom page's API: settings, guest access, attendance. Authenticated by the join token. */
export function classroomRoutes(services: ClassroomServices, rosters: RosterSource): Router {
  const router = Router();
  const auth = requireJoinToken(services.tokens);
  router.use('/api/classrooms', json({ limit: '16kb' }));

  router.get(
    '/api/classrooms/:id',
    auth,
    requireMemberOf(),
    asyncRoute(async (req, res) => {
      const classroom = await services.classrooms.get(req.params.id!);
      const claims = claimsOf(res);
      const view = services.classrooms.view(classroom);
      const lesson = await services.lessons.live(classroom._id);
      res.json({
        classroom:
          claims.role === 'teacher'
            ? view
            : { id: view.id, title: view.title, contextTitle: view.contextTitle },
        me: { role: claims.role, name: claims.name },
        lesson: lesson ? { id: lesson._id, startedAt: lesson.startedAt } : null,
      });
    }),
  );

  router.patch(
    '/api/classrooms/:id',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const changes = classroomSettingsSchema.parse(req.body);
      const room = await services.rooms.peek(req.params.id!);
      if (room) await room.applySettings(undefined, changes);
      else await services.classrooms.update(req.params.id!, changes);
      res.json({ classroom: services.classrooms.view(await services.classrooms.get(req.params.id!)) });
    }),
  );

  router.post(
    '/api/classrooms/:id/guest-access',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const settings = await services.guests.configure(
        req.params.id!,
        guestAccessRequestSchema.parse(req.body),
      );
      const classroom = await services.classrooms.get(req.params.id!);
      res.json({
        guestAccess: { ...services.classrooms.view(classroom).guestAccess, password: settings.password },
      });
    }),
  );

  router.get(
    '/api/classrooms/:id/lessons',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const lessons = await services.lessons.recent(req.params.id!, 20);
      res.json({
        lessons: lessons.map((lesson) => ({
          id: lesson._id,
          status: lesson.status,
          startedAt: lesson.startedAt,
          endedAt: lesson.endedAt ?? null,
        })),
      });
    }),
  );

  const attendanceReport = async (classroomId: string, lessonId: string | undefined) => {
    const classroom = await services.classrooms.get(classroomId);
    const lesson = lessonId
      ? await services.lessons.get(lessonId)
      : ((await services.lessons.recent(classroomId, 1))[0] ?? undefined);
    if (!lesson || lesson.classroomId !== classroomId)
      throw new NotFoundError('No lesson to report on', 'NO_LESSON');
    const roster = await rosters.roster(classroomId);
    return { lesson, entries: await services.attendance.report(lesson, classroom.lateAfterMinutes, roster) };
  };

  router.get(
    '/api/classrooms/:id/attendance',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const lessonId = typeof req.query.lesson === 'string' ? req.query.lesson : undefined;
      const { lesson, entries } = await attendanceReport(req.params.id!, lessonId);
      res.json({
        lesson: { id: lesson._id, startedAt: lesson.startedAt, endedAt: lesson.endedAt ?? null },
        entries,
      });
    }),
  );

  router.get(
    '/api/classrooms/:id/attendance.csv',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const lessonId = typeof req.query.lesson === 'string' ? req.query.lesson : undefined;
      const { lesson, entries } = await attendanceReport(req.params.id!, lessonId);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`attendance-${lesson.startedAt.toISOString().slice(0, 10)}-${lesson._id.slice(0, 6)}.csv`)
        .send(attendanceCsv(entries));
    }),
  );

  router.get(
    '/api/classrooms/:id/roster',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const classroom = await services.classrooms.get(req.params.id!);
      const members = await rosters.roster(classroom._id);
      const lesson = await services.lessons.live(classroom._id);
      const report = lesson
        ? await services.attendance.report(lesson, classroom.lateAfterMinutes, members)
        : [];
      const status = new Map(report.map((entry) => [entry.userKey, entry.status]));
      res.json({
        members: members.map((member) => ({
          lmsUserId: member.lmsUserId,
          name: member.name ?? member.lmsUserId,
          role: member.role,
          status: lesson
            ? (status.get(lmsUserKey(classroom.platformId, member.lmsUserId)) ?? 'absent')
            : 'expected',
        })),
      });
    }),
  );
  return router;
}
