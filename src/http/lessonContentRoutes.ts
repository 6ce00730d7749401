import type { Router } from 'express';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { SegmentLinks } from '../recording/segmentLinks.js';
import { captionRoutes } from './captionRoutes.js';
import { notesRoutes } from './notesRoutes.js';
import { recordingRoutes } from './recordingRoutes.js';
import { slideRoutes } from './slideRoutes.js';

/**
 * What a lesson leaves behind and pages fetch over HTTP, each behind the
 * classroom's join tokens: slides, notes exports, caption transcripts and
 * recordings (their segment links signed with a key of their own).
 */
export function lessonContentRoutes(services: ClassroomServices, recordingLinkKey: Uint8Array): Router[] {
  return [
    slideRoutes(services),
    recordingRoutes(services, new SegmentLinks(recordingLinkKey)),
    notesRoutes(services),
    captionRoutes(services),
  ];
}
