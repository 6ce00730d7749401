import { randomId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Models, NodeRecord } from '../../store/models/index.js';

export interface NodeIdentity {
  id: string;
  publicUrl: string;
  mediaAddress: string;
  /** Aula's version and Node.js's, shown to the operator. */
  version?: string;
  nodeVersion?: string;
}

export interface NodeLoad {
  rooms: number;
  participants: number;
  /** Participants this node's media workers carry (workers × AULA_ROOM_MAX_PER_WORKER). */
  capacity: number;
  workersAlive: number;
  /** The classrooms with a live lesson here and who is in each, for the operator's view of every node. */
  liveRooms?: Array<{ classroomId: string; participants: number }>;
}

export type NodeInfo = NodeRecord & { _id: string };

/**
 * The Aula nodes sharing this database: each registers itself, renews its
 * heartbeat with its load, and is gone for the others once the heartbeat is
 * older than `staleAfterMs` (or at once when it leaves on shutdown).
 */
export class NodeDirectory {
  /** This process, as opposed to an earlier one that ran under the same node id. */
  readonly instanceId = randomId(9);
  private draining = false;

  constructor(
    private readonly models: Models,
    readonly self: NodeIdentity,
    private readonly options: { staleAfterMs: number },
    private readonly logger: Logger,
  ) {}

  get id(): string {
    return this.self.id;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async register(load: NodeLoad): Promise<void> {
    const earlier = await this.models.nodes.findById(this.id).lean();
    if (earlier && this.isLive(earlier)) {
      // Our own predecessor after a crash, or a second node given the same id by mistake.
      this.logger.warn(
        { nodeId: this.id, lastSeenMsAgo: Date.now() - earlier.heartbeatAt.getTime() },
        'register() | this node id was live a moment ago; each node needs its own AULA_NODE_ID',
      );
    }
    const now = new Date();
    await this.models.nodes.updateOne(
      { _id: this.id },
      {
        $set: {
          ...this.self,
          instanceId: this.instanceId,
          startedAt: now,
          heartbeatAt: now,
          draining: false,
          ...load,
        },
      },
      { upsert: true },
    );
    this.logger.info({ nodeId: this.id }, 'register() | node registered');
  }

  /** Renews the heartbeat with the current load (and re-registers if someone removed the record). */
  async beat(load: NodeLoad): Promise<void> {
    await this.models.nodes.updateOne(
      { _id: this.id },
      {
        $set: {
          ...this.self,
          instanceId: this.instanceId,
          heartbeatAt: new Date(),
          draining: this.draining,
          ...load,
        },
        $setOnInsert: { startedAt: new Date() },
      },
      { upsert: true },
    );
  }

  /** Shutting down: from now on the others place no new room here. */
  async drain(): Promise<void> {
    this.draining = true;
    await this.models.nodes.updateOne({ _id: this.id }, { $set: { draining: true } });
    this.logger.info({ nodeId: this.id }, 'drain() | node draining');
  }

  /** Nodes whose heartbeat is fresh, this one included once registered. */
  async live(): Promise<NodeInfo[]> {
    const since = new Date(Date.now() - this.options.staleAfterMs);
    return this.models.nodes.find({ heartbeatAt: { $gt: since } }).lean<NodeInfo[]>();
  }

  /** Removes this node's record on shutdown, unless a newer process of the same id wrote it. */
  async leave(): Promise<void> {
    await this.models.nodes.deleteOne({ _id: this.id, instanceId: this.instanceId });
  }

  /** For the retention sweeper: records of nodes not seen for a day (they died and never came back). */
  async deleteDeparted(now: Date): Promise<number> {
    const before = new Date(now.getTime() - 24 * 60 * 60_000);
    return (await this.models.nodes.deleteMany({ heartbeatAt: { $lt: before } })).deletedCount;
  }

  private isLive(node: NodeRecord): boolean {
    return node.heartbeatAt.getTime() > Date.now() - this.options.staleAfterMs;
  }
}
