import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import type { Config } from '../config/index.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { DatabaseHealth } from '../store/DatabaseHealth.js';
import type { RefusalLog } from '../store/RefusalLog.js';
import type { RetentionSweeper } from '../store/RetentionSweeper.js';
import type { OperatorSources } from './OperatorView.js';

/** What the operator's view reads on this node: narrow, read-only views of the running parts. */
export function nodeOperatorSources(parts: {
  config: Config;
  services: ClassroomServices;
  databaseHealth: DatabaseHealth;
  workerPool: WorkerPool;
  refusals: RefusalLog;
  retention: RetentionSweeper;
}): OperatorSources {
  const { config, services, databaseHealth, workerPool, refusals, retention } = parts;
  return {
    nodeId: config.AULA_NODE_ID,
    liveNodes: () => services.rooms.cluster.directory.live(),
    liveRooms: () => services.rooms.liveRooms(),
    liveLessons: () => services.lessons.liveNow(),
    classroomSummaries: (ids) => services.classrooms.summaries(ids),
    databaseAvailable: () => databaseHealth.isAvailable,
    guard: (read) => databaseHealth.guard(read),
    workersConfigured: config.AULA_MEDIA_WORKERS,
    workerUsage: () => workerPool.usage(),
    recentRefusals: () => refusals.recent(),
    retention: {
      attendanceDays: config.AULA_RETENTION_ATTENDANCE_DAYS,
      chatDays: config.AULA_RETENTION_CHAT_DAYS,
      guestDays: config.AULA_RETENTION_GUEST_DAYS,
      sweepMinutes: config.AULA_RETENTION_SWEEP_MINUTES,
    },
    lastSweep: () => retention.lastSweep,
  };
}
