import { z } from 'zod';
import { REFUSAL_KINDS } from '../shared/refusalKinds.js';

// What /api/admin/operations answers: the operator's view of every node on
// the database. A leaf module: the admin page imports its type.

const instant = z.iso.datetime();
const count = z.number().int().min(0);

export const operatorViewSchema = z.object({
  generatedAt: instant,
  /** The node that answered. */
  nodeId: z.string(),
  /** Every live lesson, oldest first. */
  lessons: z.array(
    z.object({
      lessonId: z.string(),
      classroomId: z.string(),
      title: z.string(),
      platformId: z.string(),
      startedAt: instant,
      /** The node whose room holds it; null while no node does (nobody connected, or moving). */
      nodeId: z.string().nullable(),
      /** In the lesson, breakout rooms included, as of that node's last heartbeat (or now, here). */
      participants: count.nullable(),
    }),
  ),
  /** Nodes with a fresh heartbeat. */
  nodes: z.array(
    z.object({
      id: z.string(),
      self: z.boolean(),
      version: z.string().nullable(),
      nodeVersion: z.string().nullable(),
      publicUrl: z.string(),
      startedAt: instant,
      heartbeatAt: instant,
      draining: z.boolean(),
      rooms: count,
      participants: count,
      /** Participants its media workers carry before a classroom spreads over workers. */
      capacity: count,
      workersAlive: count,
    }),
  ),
  health: z.object({
    database: z.object({ available: z.boolean() }),
    /** This node's media workers, each configured slot whether it runs or not. */
    mediaWorkers: z.array(
      z.object({
        index: count,
        alive: z.boolean(),
        pid: count.nullable(),
        participants: count.nullable(),
        cpuSeconds: z.number().min(0).nullable(),
        rssBytes: count.nullable(),
      }),
    ),
  }),
  /** Refusals of the last 24 hours on every node, newest first. */
  refusals: z.array(z.object({ kind: z.enum(REFUSAL_KINDS), subject: z.string(), count, lastAt: instant })),
  retention: z.object({
    attendanceDays: count,
    chatDays: count,
    guestDays: count,
    sweepMinutes: count,
    /** This node's last sweep. */
    lastSweep: z.object({ at: instant, deleted: z.record(z.string(), count) }).nullable(),
  }),
});

export type OperatorView = z.infer<typeof operatorViewSchema>;
