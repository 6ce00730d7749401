import type { Connection } from 'mongoose';
import { captionModels } from './captionModels.js';
import { classroomModels } from './classroomModels.js';
import { clusterModels } from './clusterModels.js';
import { collabModels } from './collabModels.js';
import { slideModels } from './slideModels.js';
import { lessonModels } from './lessonModels.js';
import { notesModels } from './notesModels.js';
import { limitModels } from './limitModels.js';
import { operationsModels } from './operationsModels.js';
import { platformModels } from './platformModels.js';
import { pollModels, recordModels } from './recordModels.js';
import { recordingModels } from './recordingModels.js';

export type Models = ReturnType<typeof createModels>;

export function createModels(connection: Connection) {
  return {
    ...platformModels(connection),
    ...classroomModels(connection),
    ...lessonModels(connection),
    ...recordModels(connection),
    ...pollModels(connection),
    ...clusterModels(connection),
    ...limitModels(connection),
    ...operationsModels(connection),
    ...collabModels(connection),
    ...slideModels(connection),
    ...notesModels(connection),
    ...captionModels(connection),
    ...recordingModels(connection),
  };
}

export type { PlatformRecord, DeploymentRecord } from './platformModels.js';
export type { ClassroomRecord } from './classroomModels.js';
export type { NodeRecord, RoomLeaseRecord } from './clusterModels.js';
export type { LessonRecord, SeatRecord } from './lessonModels.js';
export type { CollabDocumentRecord } from './collabModels.js';
export type { SlideDeckRecord } from './slideModels.js';
export type { NotebookRecord } from './notesModels.js';
export type { CaptionLineRecord } from './captionModels.js';
export type { RefusalRecord } from './operationsModels.js';
export type {
  AttendanceRecord,
  ChatMessageRecord,
  RosterRecord,
  GradeJobRecord,
  PollRecord,
  PollAnswerRecord,
} from './recordModels.js';
