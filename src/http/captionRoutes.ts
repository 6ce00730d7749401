import { Router } from 'express';
import { z } from 'zod';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import type { TranscriptLine } from '../classroom/CaptionTranscripts.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { BadRequestError } from '../shared/errors.js';
import { requireJoinToken, requireTeacherOf } from './authentication.js';

const lessonParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A transcript as plain text: one line per caption, time and speaker first. */
export function transcriptText(lines: readonly TranscriptLine[]): string {
  return lines
    .map((line) => {
      const time = line.at.toISOString().slice(11, 19);
      const speaker = line.speakerName ? `${line.speakerName}: ` : '';
      const group = line.groupId ? `[${line.groupId}] ` : '';
      return `${time} ${group}${speaker}${line.text.replace(/\s+/g, ' ')}`;
    })
    .join('\n');
}

/** A kept caption transcript, for the classroom's teachers only (as text, UTC times). */
export function captionRoutes(services: ClassroomServices): Router {
  const router = Router();
  router.get(
    '/api/classrooms/:id/lessons/:lessonId/captions.txt',
    requireJoinToken(services.tokens),
    requireTeacherOf(),
    asyncRoute(async (req, res) => {
      const lessonId = lessonParam.safeParse(req.params.lessonId);
      if (!lessonId.success) throw new BadRequestError('Unknown lesson');
      const lines = await services.transcripts.lesson(req.params.id!, lessonId.data);
      res
        .type('text/plain; charset=utf-8')
        .attachment(`captions-${lessonId.data.slice(0, 8)}.txt`)
        .send(`${transcriptText(lines)}\n`);
    }),
  );
  return router;
}
