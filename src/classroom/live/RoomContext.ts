import type { MediaSetup } from '../../protocol/index.js';
import type { Logger } from '../../shared/logger.js';
import { SerialQueue } from '../../shared/SerialQueue.js';
import type { WorkerPool } from '../../media/WorkerPool.js';
import type { DatabaseHealth } from '../../store/DatabaseHealth.js';
import type { WriteBehind } from '../../store/WriteBehind.js';
import type { ActivationCheck } from '../activation.js';
import type { AttendanceService } from '../AttendanceService.js';
import type { ChatLog } from '../ChatLog.js';
import type { Classroom, ClassroomService } from '../ClassroomService.js';
import type { GuestAccess } from '../GuestAccess.js';
import type { PollStore } from '../PollStore.js';
import type { Lesson, LessonService } from '../LessonService.js';
import { permissionsOf, type Permission } from '../permissions.js';
import type { SeatLedger } from '../SeatLedger.js';
import type { Participant } from './Participant.js';
import { Roster } from './Roster.js';

export interface RoomServices {
  classrooms: ClassroomService;
  lessons: LessonService;
  seats: SeatLedger;
  attendance: AttendanceService;
  chat: ChatLog;
  workerPool: WorkerPool;
  maxPerRouter: number;
  /** Read on every media set-up; with a TURN secret each read carries freshly minted credentials. */
  readonly iceServers: MediaSetup['iceServers'];
  /** Whether the database answers; what people wait for is refused quickly while it does not. */
  databaseHealth: DatabaseHealth;
  /** Writes the room does not wait for, applied in order when the database answers. */
  writes: WriteBehind;
  /** How long a dropped connection keeps its place (seat, hand, media) in the lesson. */
  graceMs: number;
  /** Whether the classroom's school still has Aula switched on. */
  isActive: ActivationCheck;
  /** Guest links and passwords: a teacher removing a guest may change the password. */
  guests: GuestAccess;
  polls: PollStore;
  logger: Logger;
}

/**
 * The records a room keeps in memory. Only their owners write them: the
 * lesson lifecycle sets `lesson`, room settings set `classroom`.
 */
export interface RoomRecords {
  classroom: Classroom;
  lesson: Lesson | undefined;
}

/** What every feature of a room reads: who is here, the classroom and lesson, services and a logger. */
export interface RoomContext {
  readonly classroomId: string;
  readonly roster: Roster;
  readonly classroom: Classroom;
  readonly lesson: Lesson | undefined;
  readonly services: RoomServices;
  /** Carries `classroomId` on every line. */
  readonly logger: Logger;
  /** Changes of who is in the room run one after another, never interleaved at their awaits. */
  readonly membershipQueue: SerialQueue;
  /** A breakout room's group; undefined in the class's main room. */
  readonly group: BreakoutGroup | undefined;
  permissionsFor(participant: Participant): Set<Permission>;
}

/** One breakout room of a class: its id and the name people see. */
export interface BreakoutGroup {
  id: string;
  name: string;
}

/**
 * A breakout room shares its class's records (classroom, lesson) and
 * membership queue: moving someone between rooms is one change, never two
 * interleaving ones.
 */
export function createRoomContext(
  records: RoomRecords,
  services: RoomServices,
  breakout?: { group: BreakoutGroup; membershipQueue: SerialQueue },
): RoomContext {
  const classroomId = records.classroom._id;
  const logger = services.logger.child({ classroomId, ...(breakout ? { group: breakout.group.id } : {}) });
  return {
    classroomId,
    group: breakout?.group,
    roster: new Roster(),
    get classroom() {
      return records.classroom;
    },
    get lesson() {
      return records.lesson;
    },
    services,
    logger,
    membershipQueue: breakout?.membershipQueue ?? new SerialQueue(),
    permissionsFor: (participant) => permissionsOf(participant, records.classroom.studentPermissions),
  };
}
