import type { NodeInfo } from '../classroom/placement/NodeDirectory.js';
import type { WorkerUsage } from '../media/WorkerPool.js';
import type { RefusalSummary } from '../store/RefusalLog.js';
import type { OperatorView } from './operatorSchemas.js';

/**
 * The narrow, read-only parts the operator's view is made of. Every node
 * writes its load and live rooms into its heartbeat, so one node's view shows
 * all of them; this node's own rooms and workers are read fresh.
 */
export interface OperatorSources {
  nodeId: string;
  liveNodes(): Promise<NodeInfo[]>;
  /** This node's rooms with a live lesson, from the room registry. */
  liveRooms(): Promise<Array<{ classroomId: string; participants: number }>>;
  liveLessons(): Promise<Array<{ lessonId: string; classroomId: string; startedAt: Date }>>;
  classroomSummaries(ids: string[]): Promise<Map<string, { title: string; platformId: string }>>;
  databaseAvailable(): boolean;
  /** Runs a database read, refused at once while the database is away. */
  guard<T>(read: () => Promise<T>): Promise<T>;
  workersConfigured: number;
  workerUsage(): Promise<WorkerUsage[]>;
  recentRefusals(): Promise<RefusalSummary[]>;
  retention: { attendanceDays: number; chatDays: number; guestDays: number; sweepMinutes: number };
  lastSweep(): { at: Date; deleted: Record<string, number> } | undefined;
}

/** Builds the view; what needs the database is left empty while it is away. */
export async function buildOperatorView(sources: OperatorSources): Promise<OperatorView> {
  const available = sources.databaseAvailable();
  const fromDatabase = async <T>(read: () => Promise<T>, fallback: T): Promise<T> =>
    available ? sources.guard(read).catch(() => fallback) : fallback;

  const [nodes, lessons, refusals, here, usage] = await Promise.all([
    fromDatabase(() => sources.liveNodes(), []),
    fromDatabase(() => sources.liveLessons(), []),
    fromDatabase(() => sources.recentRefusals(), []),
    sources.liveRooms(),
    sources.workerUsage().catch(() => []),
  ]);
  const summaries = await fromDatabase(
    () => sources.classroomSummaries(lessons.map((lesson) => lesson.classroomId)),
    new Map<string, { title: string; platformId: string }>(),
  );

  // Where each classroom's room is, and who is in it: this node's own rooms now, the others' as last reported.
  const rooms = new Map<string, { nodeId: string; participants: number }>();
  for (const node of nodes) {
    if (node._id === sources.nodeId) continue;
    for (const room of node.liveRooms ?? []) {
      if (room.classroomId)
        rooms.set(room.classroomId, { nodeId: node._id, participants: room.participants ?? 0 });
    }
  }
  for (const room of here)
    rooms.set(room.classroomId, { nodeId: sources.nodeId, participants: room.participants });

  // A node's participants as its lessons count them (breakout rooms included): this node's now.
  const participantsOn = (node: NodeInfo) =>
    node._id === sources.nodeId
      ? here.reduce((sum, room) => sum + room.participants, 0)
      : node.liveRooms
        ? node.liveRooms.reduce((sum, room) => sum + (room.participants ?? 0), 0)
        : node.participants;
  const workers = new Map(usage.map((worker) => [worker.index, worker]));
  const sweep = sources.lastSweep();
  return {
    generatedAt: new Date().toISOString(),
    nodeId: sources.nodeId,
    lessons: lessons.map((lesson) => {
      const summary = summaries.get(lesson.classroomId);
      const room = rooms.get(lesson.classroomId);
      return {
        lessonId: lesson.lessonId,
        classroomId: lesson.classroomId,
        title: summary?.title ?? '',
        platformId: summary?.platformId ?? '',
        startedAt: lesson.startedAt.toISOString(),
        nodeId: room?.nodeId ?? null,
        participants: room?.participants ?? null,
      };
    }),
    nodes: nodes
      .map((node) => ({
        id: node._id,
        self: node._id === sources.nodeId,
        version: node.version ?? null,
        nodeVersion: node.nodeVersion ?? null,
        publicUrl: node.publicUrl,
        startedAt: node.startedAt.toISOString(),
        heartbeatAt: node.heartbeatAt.toISOString(),
        draining: node.draining,
        rooms: node.rooms,
        participants: participantsOn(node),
        capacity: node.capacity,
        workersAlive: node.workersAlive,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    health: {
      database: { available },
      mediaWorkers: Array.from({ length: sources.workersConfigured }, (_, index) => {
        const worker = workers.get(index);
        return {
          index,
          alive: worker !== undefined,
          pid: worker?.pid ?? null,
          participants: worker?.load ?? null,
          cpuSeconds: worker?.cpuSeconds ?? null,
          rssBytes: worker?.rssBytes ?? null,
        };
      }),
    },
    refusals: refusals.map((refusal) => ({ ...refusal, lastAt: refusal.lastAt.toISOString() })),
    retention: {
      ...sources.retention,
      lastSweep: sweep ? { at: sweep.at.toISOString(), deleted: sweep.deleted } : null,
    },
  };
}
