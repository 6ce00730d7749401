import { EventEmitter } from 'node:events';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { NodeDirectory, NodeLoad } from './NodeDirectory.js';
import type { RoomLeases } from './RoomLeases.js';
import type { Placement, RoomPlacement } from './RoomPlacement.js';

/**
 * The classroom is served by another node (`node`, when one holds it) or is
 * between nodes: the page connects again, through the load balancer, with
 * `node` as its routing hint.
 */
export class RoomElsewhereError extends AppError {
  constructor(nodeId: string | undefined, retryAfterMs: number) {
    super(
      421,
      'ROOM_ELSEWHERE',
      'This classroom is served by another Aula node',
      nodeId ? { node: nodeId, retryAfterMs } : { retryAfterMs },
    );
  }
}

type ClusterEvents = {
  /** Another node holds this classroom now (or nobody does): the room here must go. */
  leaseLost: [classroomId: string, holder: string | undefined];
};

/**
 * This process as one node among several on the same database: it keeps its
 * record in the node directory fresh with its load, holds the leases of the
 * classrooms it serves and renews them, and notices when one was taken over.
 */
export class ClusterNode extends EventEmitter<ClusterEvents> {
  /** Classroom id → the token of the lease this node holds for it. */
  private readonly held = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;
  /** Leases another node took over since start (this node was thought gone). */
  leasesLost = 0;

  constructor(
    readonly directory: NodeDirectory,
    private readonly leases: RoomLeases,
    private readonly placement: RoomPlacement,
    private readonly load: () => Promise<NodeLoad>,
    private readonly options: { beatMs: number },
    private readonly logger: Logger,
  ) {
    super();
  }

  get id(): string {
    return this.directory.id;
  }

  get isDraining(): boolean {
    return this.directory.isDraining;
  }

  /** Leases this node holds: the classrooms it serves. */
  get leaseCount(): number {
    return this.held.size;
  }

  async start(): Promise<void> {
    await this.directory.register(await this.load());
    this.timer = setInterval(() => void this.beat(), this.options.beatMs);
    this.timer.unref();
  }

  /** Where the classroom is served; one this node holds needs no database. */
  async admit(classroomId: string): Promise<Placement> {
    const token = this.held.get(classroomId);
    if (token) return { here: true, token };
    const placement = await this.placement.place(classroomId);
    if (placement.here) this.held.set(classroomId, placement.token);
    return placement;
  }

  /** The room left this node: its lease goes, for whichever node needs the classroom next. */
  async release(classroomId: string): Promise<void> {
    const token = this.held.get(classroomId);
    if (!token) return;
    this.held.delete(classroomId);
    await this.leases.release(classroomId, token);
  }

  /** Shutting down: no new rooms come here any more. Answers whether another node could take this one's. */
  async drain(): Promise<boolean> {
    const [, other] = await Promise.all([
      this.directory.drain(),
      this.placement.leastLoaded({ excludeSelf: true }),
    ]);
    return other !== undefined;
  }

  /** Hands a classroom to the least-loaded other node; answers that node, or undefined when there is none. */
  async handOver(classroomId: string): Promise<string | undefined> {
    const token = this.held.get(classroomId);
    if (!token) return undefined;
    this.held.delete(classroomId);
    const target = await this.placement.leastLoaded({ excludeSelf: true });
    if (target && (await this.leases.handOver(classroomId, token, target))) return target;
    await this.leases.release(classroomId, token);
    return undefined;
  }

  /** Renews the heartbeat and the leases; a lease another node took is reported as lost. */
  async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.directory.beat(await this.load());
      const renewed = new Map(this.held);
      const lost = await this.leases.renew(this.id, renewed);
      for (const [classroomId, lostTo] of lost) {
        // Released or re-taken while we renewed: not ours to judge any more.
        if (this.held.get(classroomId) !== renewed.get(classroomId)) continue;
        let holder = lostTo;
        if (holder === undefined && !this.isDraining) {
          // Gone but taken by nobody (it expired while the database was away): ours again.
          const lease = await this.leases.acquire(classroomId, this.id);
          if (lease.nodeId === this.id) {
            this.held.set(classroomId, lease.token);
            continue;
          }
          holder = lease.nodeId;
        }
        this.held.delete(classroomId);
        this.leasesLost += 1;
        this.logger.warn({ classroomId, holder }, 'beat() | lease lost, the room moves');
        this.emit('leaseLost', classroomId, holder);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'beat() | node heartbeat failed');
    } finally {
      this.beating = false;
    }
  }

  /** Shutdown: every lease still held is released and the node leaves the directory. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const classroomId of [...this.held.keys()]) {
      await this.release(classroomId).catch((error: unknown) => {
        this.logger.warn({ err: error, classroomId }, 'stop() | lease not released, it expires by itself');
      });
    }
    await this.directory.leave();
  }
}
