import type { SpeechCaptioning } from '../../captions/SpeechCaptioning.js';
import type { DocumentStore } from '../../collab/DocumentStore.js';
import type { SnapshotStore } from '../../collab/SnapshotStore.js';
import type { NotebookStore } from '../notes/NotebookStore.js';
import type { BoardSettings } from '../board/BoardSettings.js';
import type { SlideDecks } from '../slides/SlideDecks.js';
import type { MediaSetup } from '../../protocol/index.js';
import type { Logger } from '../../shared/logger.js';
import type { RecordingServices } from '../../recording/RecordingServices.js';
import { SerialQueue } from '../../shared/SerialQueue.js';
import type { OpenMediaPlane } from '../../media/MediaPlane.js';
import type { WorkerPool } from '../../media/WorkerPool.js';
import type { DatabaseHealth } from '../../store/DatabaseHealth.js';
import type { WriteBehind } from '../../store/WriteBehind.js';
import type { ActivationCheck } from '../activation.js';
import type { AttendanceService } from '../AttendanceService.js';
import type { CaptionTranscripts } from '../CaptionTranscripts.js';
import type { ChatLog } from '../ChatLog.js';
import type { Classroom, ClassroomService } from '../ClassroomService.js';
import type { GuestAccess } from '../GuestAccess.js';
import type { PollStore } from '../PollStore.js';
import type { Lesson, LessonService } from '../LessonService.js';
import type { SeatLedger } from '../SeatLedger.js';
import { Roster } from './Roster.js';

/** What a live classroom uses of the rest of Aula; tests hand in fakes of the same shape. */
export interface RoomServices {
  classrooms: Pick<ClassroomService, 'get' | 'update'>;
  lessons: Pick<
    LessonService,
    | 'live'
    | 'start'
    | 'end'
    | 'touch'
    | 'setLocked'
    | 'removeUser'
    | 'setAutoAdmit'
    | 'admit'
    | 'setCaptioner'
    | 'setKeepTranscript'
  >;
  seats: Pick<SeatLedger, 'take' | 'renew' | 'releaseNow' | 'releaseAfterGrace'>;
  attendance: Pick<AttendanceService, 'open' | 'close' | 'heartbeat' | 'recordGap'>;
  chat: Pick<ChatLog, 'append' | 'history'>;
  /** A group's media plane: its routers on the workers (RoomMedia). */
  openMedia: OpenMediaPlane;
  /** How much this node can carry, for placing classrooms among nodes. */
  workerPool: Pick<WorkerPool, 'aliveCount'>;
  maxPerRouter: number;
  /** Read on every media set-up; with a TURN secret each read carries freshly minted credentials. */
  readonly iceServers: MediaSetup['iceServers'];
  /** Whether the database answers; what people wait for is refused quickly while it does not. */
  databaseHealth: Pick<DatabaseHealth, 'guard' | 'isAvailable'>;
  /** Writes the classroom does not wait for, applied in order when the database answers. */
  writes: Pick<WriteBehind, 'enqueue' | 'settled'>;
  /** How long a dropped connection keeps its place (seat, hand, media) in the lesson. */
  graceMs: number;
  /** Whether the classroom's school still has Aula switched on. */
  isActive: ActivationCheck;
  /** Guest links and passwords: a teacher removing a guest may change the password. */
  guests: Pick<GuestAccess, 'configure'>;
  polls: Pick<PollStore, 'save' | 'saveAnswer' | 'open'>;
  /** Snapshots of the shared documents (whiteboards). */
  documents: Pick<DocumentStore, 'load' | 'put' | 'list'>;
  /** The shared notes: their pages and writers, and snapshots of them. */
  notebooks: Pick<NotebookStore, 'load' | 'save'>;
  snapshots: Pick<SnapshotStore, 'take' | 'get' | 'list' | 'latestVector'>;
  /** The classroom's uploaded PDFs, and what its board shows and who may draw. */
  slides: Pick<SlideDecks, 'get' | 'view' | 'used'>;
  boardSettings: Pick<BoardSettings, 'load' | 'save'>;
  /** Kept transcripts, and the speech engine when the operator configured one (automatic captions). */
  captions: { transcripts: Pick<CaptionTranscripts, 'append'>; speech?: SpeechCaptioning };
  /** Recording, when the operator switched it on (AULA_RECORDING=on); otherwise absent. */
  recording?: RecordingServices;
  logger: Logger;
}

/** A lesson as the features read it: only LessonLifecycle changes it. */
export type LessonView = Readonly<
  Omit<Lesson, 'admittedUserKeys' | 'removedUserKeys' | 'captionerUserKeys'>
> & {
  readonly admittedUserKeys: readonly string[];
  readonly removedUserKeys: readonly string[];
  readonly captionerUserKeys: readonly string[];
};

/**
 * The records a classroom keeps in memory. Each has one writer: the lesson
 * lifecycle sets `lesson`, the class settings set `classroom`; everyone else
 * reads them through the context.
 */
export interface ClassroomRecords {
  classroom: Classroom;
  lesson: Lesson | undefined;
}

/** What every feature of a classroom reads: who is here, the classroom and lesson, services and a logger. */
export interface ClassroomContext {
  readonly classroomId: string;
  readonly roster: Roster;
  readonly classroom: Readonly<Classroom>;
  readonly lesson: LessonView | undefined;
  readonly services: RoomServices;
  /** Carries `classroomId` on every line. */
  readonly logger: Logger;
  /** Changes of who is in the lesson, or in which group, run one after another, never interleaved. */
  readonly membershipQueue: SerialQueue;
}

export function createClassroomContext(records: ClassroomRecords, services: RoomServices): ClassroomContext {
  const classroomId = records.classroom._id;
  return {
    classroomId,
    roster: new Roster(),
    get classroom() {
      return records.classroom;
    },
    get lesson() {
      return records.lesson;
    },
    services,
    logger: services.logger.child({ classroomId }),
    membershipQueue: new SerialQueue(),
  };
}
