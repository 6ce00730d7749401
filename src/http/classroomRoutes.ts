import { Router, json } from 'express';
import type { AttendanceReports } from '../classroom/AttendanceReports.js';
import { attendanceCsv } from '../classroom/attendanceReport.js';
import { classroomSettingsSchema } from '../protocol/index.js';
import type { Classroom } from '../classroom/ClassroomService.js';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { ForbiddenError } from '../shared/errors.js';
import { requireActive } from '../classroom/activation.js';
import { pollSummary, pollsCsv } from '../classroom/pollReport.js';
import { NotFoundError } from '../shared/errors.js';
import { guestAccessRequestSchema, leaveBeaconSchema, type ClassroomPageInfo } from '../protocol/index.js';
import { claimsOf, requireJoinToken, requireMemberOf, requireTeacherOf } from './authentication.js';

/** The classroom page's API: settings, guest access, attendance. Authenticated by the join token. */
export function classroomRoutes(services: ClassroomServices, reports: AttendanceReports): Router {
  const router = Router();
  const tokenAuth = requireJoinToken(services.tokens);
  // A school that switched Aula off switches its classrooms' pages off too, whatever tokens are out.
  const active = asyncRoute(async (req, res, next) => {
    // Only for the token's own classroom; the membership check that follows refuses any other.
    if (claimsOf(res).cid === req.params.id) {
      const classroom = await services.classrooms.get(req.params.id);
      await requireActive(services.isActive, classroom);
      // Read once per request: the handlers after the membership check take it from here.
      res.locals.classroom = classroom;
    }
    next();
  });
  const auth = [tokenAuth, active];
  router.use('/api/classrooms', json({ limit: '16kb' }));

  router.get(
    '/api/classrooms/:id',
    auth,
    requireMemberOf(),
    asyncRoute(async (req, res) => {
      const classroom = res.locals.classroom as Classroom;
      const claims = claimsOf(res);
      const view = services.classrooms.view(classroom);
      const lesson = await services.lessons.live(classroom._id);
      const teachers = lesson ? await services.attendance.presentTeacherNames(lesson._id) : [];
      const info: ClassroomPageInfo = {
        classroom:
          claims.role === 'teacher'
            ? view
            : {
                id: view.id,
                title: view.title,
                contextTitle: view.contextTitle,
                // Said before joining: a browser that cannot encrypt is told so on the pre-join page.
                endToEndEncryption: view.endToEndEncryption,
              },
        me: {
          role: claims.role,
          name: claims.name,
          removed: Boolean(lesson?.removedUserKeys.includes(claims.sub)),
        },
        lesson: lesson
          ? {
              id: lesson._id,
              startedAt: lesson.startedAt.toISOString(),
              locked: Boolean(lesson.locked),
              teachers,
            }
          : null,
      };
      res.json(info);
    }),
  );

  router.patch(
    '/api/classrooms/:id',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const classroom = await services.rooms.applySettings(
        req.params.id!,
        classroomSettingsSchema.parse(req.body),
      );
      res.json({ classroom: services.classrooms.view(classroom) });
    }),
  );

  // A closing tab's beacon cannot set headers: its join token travels in the body.
  router.post(
    '/api/classrooms/:id/leave',
    asyncRoute(async (req, res) => {
      const goodbye = leaveBeaconSchema.parse(req.body);
      const claims = await services.tokens.verify(goodbye.token);
      if (claims.cid !== req.params.id) throw new ForbiddenError('This token is for another classroom');
      const room = await services.rooms.peek(claims.cid);
      await room?.membership.reconnection.pageClosed(claims.sub, goodbye.participantId, goodbye.key);
      res.status(204).end();
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
      res.json({ lessons: await reports.history(req.params.id!) });
    }),
  );

  const lessonPolls = async (classroomId: string, lessonId: string) => {
    const lesson = await services.lessons.get(lessonId);
    if (lesson.classroomId !== classroomId) throw new NotFoundError('No such lesson here', 'NO_LESSON');
    return { lesson, polls: await services.polls.ofLesson(lessonId) };
  };

  router.get(
    '/api/classrooms/:id/lessons/:lessonId/polls',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const { polls } = await lessonPolls(req.params.id!, req.params.lessonId!);
      res.json({ polls: polls.map(pollSummary) });
    }),
  );

  router.get(
    '/api/classrooms/:id/lessons/:lessonId/polls.csv',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const { lesson, polls } = await lessonPolls(req.params.id!, req.params.lessonId!);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`polls-${lesson.startedAt.toISOString().slice(0, 10)}-${lesson._id.slice(0, 6)}.csv`)
        .send(pollsCsv(polls));
    }),
  );

  const lessonParam = (query: unknown) => (typeof query === 'string' ? query : undefined);

  router.get(
    '/api/classrooms/:id/attendance',
    auth,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const { lesson, entries } = await reports.forLesson(req.params.id!, lessonParam(req.query.lesson));
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
      const { lesson, entries } = await reports.forLesson(req.params.id!, lessonParam(req.query.lesson));
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
      res.json({ members: await reports.roster(req.params.id!) });
    }),
  );
  return router;
}
