import { Router, type Response } from 'express';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { recordingPublishSchema, type RecordingManifest, type RecordingSummary } from '../protocol/index.js';
import type { Recording } from '../recording/RecordingStore.js';
import type { SegmentLinks } from '../recording/segmentLinks.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../shared/errors.js';
import { claimsOf, requireJoinToken, requireMemberOf, requireTeacherOf } from './authentication.js';

/**
 * The lesson history's recordings: the course's teachers see and manage
 * them; students see one only once its teacher published it, and download
 * only if the teacher allowed that. Segments are read through signed links.
 */
export function recordingRoutes(services: ClassroomServices, links: SegmentLinks): Router {
  const router = Router();
  const token = requireJoinToken(services.tokens);
  const { recordings } = services;

  /** A recording of this classroom the caller may see; anything else is unknown to them. */
  async function visible(res: Response, classroomId: string, recordingId: string): Promise<Recording> {
    const recording = await recordings.get(recordingId);
    const teacher = claimsOf(res).role === 'teacher';
    if (!recording || recording.classroomId !== classroomId || (!teacher && !recording.published))
      throw new NotFoundError('No such recording in this classroom', 'UNKNOWN_RECORDING');
    return recording;
  }

  router.get(
    '/api/classrooms/:id/recordings',
    token,
    requireMemberOf(),
    asyncRoute(async (req, res) => {
      const teacher = claimsOf(res).role === 'teacher';
      const list = await recordings.listForClassroom(req.params.id!, !teacher);
      const body: { recordings: RecordingSummary[] } = { recordings: list.map((r) => recordings.summary(r)) };
      res.json(body);
    }),
  );

  router.get(
    '/api/classrooms/:id/recordings/:rid',
    token,
    requireMemberOf(),
    asyncRoute(async (req, res) => {
      const classroomId = req.params.id!;
      const recording = await visible(res, classroomId, req.params.rid!);
      const download = claimsOf(res).role === 'teacher' || recording.downloadable;
      const origin = recording.startedAt.getTime();
      const manifest: RecordingManifest = {
        recording: recordings.summary(recording),
        segments: (await recordings.segments(recording._id))
          .filter((segment) => segment.startedAt)
          .map((segment) => {
            const link = { classroomId, recordingId: recording._id, segmentId: segment._id };
            return {
              id: segment._id,
              participantId: segment.participantId,
              role: segment.role,
              source: segment.source,
              kind: segment.kind,
              start: segment.startedAt!.getTime() - origin,
              end: segment.endedAt ? segment.endedAt.getTime() - origin : null,
              url: links.url({ ...link, download: false }),
              ...(download ? { downloadUrl: links.url({ ...link, download: true }) } : {}),
            };
          }),
        events: (await recordings.events(recording._id)).map((event) => ({
          at: event.at.getTime() - origin,
          type: event.type,
          data: event.data as Record<string, unknown>,
        })),
      };
      res.json(manifest);
    }),
  );

  router.post(
    '/api/classrooms/:id/recordings/:rid/publish',
    token,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const parsed = recordingPublishSchema.safeParse(req.body);
      if (!parsed.success) throw new BadRequestError('Expected { published, downloadable? }');
      const recording = await visible(res, req.params.id!, req.params.rid!);
      await recordings.publish(recording._id, parsed.data.published, parsed.data.downloadable ?? false);
      res.json({ recording: recordings.summary((await recordings.get(recording._id))!) });
    }),
  );

  router.delete(
    '/api/classrooms/:id/recordings/:rid',
    token,
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const recording = await visible(res, req.params.id!, req.params.rid!);
      await recordings.remove(recording._id);
      res.status(204).end();
    }),
  );

  router.get(
    '/api/classrooms/:id/recordings/:rid/segments/:sid',
    asyncRoute(async (req, res) => {
      const link = {
        classroomId: req.params.id!,
        recordingId: req.params.rid!,
        segmentId: req.params.sid!,
        download: req.query.dl === '1',
      };
      if (!links.valid(link, req.query.e, req.query.s))
        throw new ForbiddenError('This link is not valid (expired, or for something else)', 'LINK_EXPIRED');
      const recording = await recordings.get(link.recordingId);
      const segment = (await recordings.segments(link.recordingId)).find(
        (each) => each._id === link.segmentId,
      );
      const file =
        segment && recording ? await recordings.files.readable(recording._id, segment.file) : undefined;
      if (!recording || recording.classroomId !== link.classroomId || !file)
        throw new NotFoundError('No such recording in this classroom', 'UNKNOWN_RECORDING');
      res.setHeader('Cache-Control', 'private, max-age=600');
      if (link.download) res.attachment(`${recording._id}-${segment!._id}.webm`);
      res.type('video/webm').sendFile(file);
    }),
  );

  return router;
}
