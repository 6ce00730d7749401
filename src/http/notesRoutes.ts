import { Router } from 'express';
import { z } from 'zod';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { exportNotes } from '../classroom/notes/notesExport.js';
import { notesSnapshotView } from '../classroom/live/notes/notesSnapshots.js';
import { documentRecordId } from '../collab/DocumentStore.js';
import { NOTES_EXPORT_FORMATS, type NotesSnapshotView } from '../protocol/index.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { BadRequestError } from '../shared/errors.js';
import { claimsOf, requireJoinToken, requireMemberOf, requireTeacherOf } from './authentication.js';

const format = z.enum(NOTES_EXPORT_FORMATS);
const snapshotParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`Unknown ${what}`);
  return parsed.data;
}

/**
 * The shared notes over HTTP: everyone of the classroom downloads the notes
 * as they are (Markdown, HTML, PDF); teachers list the history's snapshots
 * (also from the lesson history) and download each.
 */
export function notesRoutes(services: ClassroomServices): Router {
  const router = Router();
  const member = [requireJoinToken(services.tokens), requireMemberOf()];
  const teacher = [requireJoinToken(services.tokens), requireTeacherOf()];

  router.get(
    '/api/classrooms/:id/notes/export.:format',
    member,
    asyncRoute(async (req, res) => {
      const file = await exportNotes(services, claimsOf(res).cid, parse(format, req.params.format, 'format'));
      res.type(file.type).attachment(file.fileName).send(file.body);
    }),
  );

  router.get(
    '/api/classrooms/:id/notes/snapshots',
    teacher,
    asyncRoute(async (req, res) => {
      const id = documentRecordId(req.params.id!, 'notes', null);
      const snapshots: NotesSnapshotView[] = (await services.snapshots.list(id)).map(notesSnapshotView);
      res.json({ snapshots });
    }),
  );

  router.get(
    '/api/classrooms/:id/notes/snapshots/:snapshotId/export.:format',
    teacher,
    asyncRoute(async (req, res) => {
      const file = await exportNotes(
        services,
        req.params.id!,
        parse(format, req.params.format, 'format'),
        parse(snapshotParam, req.params.snapshotId, 'snapshot'),
      );
      res.type(file.type).attachment(file.fileName).send(file.body);
    }),
  );
  return router;
}
