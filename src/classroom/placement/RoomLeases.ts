import { ServiceUnavailableError } from '../../shared/errors.js';
import { randomId } from '../../shared/ids.js';
import type { Models, RoomLeaseRecord } from '../../store/models/index.js';
import { isDuplicateKey } from '../../store/mongoErrors.js';

export type RoomLease = RoomLeaseRecord & { _id: string };

/**
 * Which node serves each classroom's live room. A lease is taken by
 * inserting it (the unique `_id` decides between nodes racing for it),
 * renewed by its node while the room lives there, and taken over by another
 * node once it expired: a node that died loses its classrooms after at most
 * `leaseMs`. A node compares tokens, never just its id: a lease that changed
 * hands and came back is a new lease.
 */
export class RoomLeases {
  constructor(
    private readonly models: Models,
    private readonly options: { leaseMs: number },
  ) {}

  /** The classroom's lease while it is live. */
  async current(classroomId: string): Promise<RoomLease | undefined> {
    const lease = await this.models.roomLeases.findById(classroomId).lean<RoomLease>();
    return lease && lease.expiresAt.getTime() > Date.now() ? lease : undefined;
  }

  /** Takes the classroom's lease for `nodeId` unless a live lease holds it; answers the lease that holds it. */
  async acquire(classroomId: string, nodeId: string): Promise<RoomLease> {
    for (let round = 0; round < 5; round++) {
      const now = new Date();
      const lease = await this.models.roomLeases.findById(classroomId).lean<RoomLease>();
      if (lease && lease.expiresAt > now) return lease;
      // An expired lease goes; its token makes sure a lease taken meanwhile stays.
      if (lease) await this.models.roomLeases.deleteOne({ _id: classroomId, token: lease.token });
      const fresh: RoomLease = {
        _id: classroomId,
        nodeId,
        token: randomId(),
        acquiredAt: now,
        expiresAt: new Date(now.getTime() + this.options.leaseMs),
      };
      try {
        await this.models.roomLeases.create(fresh);
        return fresh;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new ServiceUnavailableError('This classroom is moving, try again', 'ROOM_MOVING', 1);
  }

  /**
   * Renews the leases `nodeId` holds (classroom id → token); answers the
   * classrooms whose lease it no longer holds, each with its holder now.
   */
  async renew(nodeId: string, held: Map<string, string>): Promise<Map<string, string | undefined>> {
    const lost = new Map<string, string | undefined>();
    if (held.size === 0) return lost;
    const ids = [...held.keys()];
    await this.models.roomLeases.updateMany(
      { _id: { $in: ids }, nodeId, token: { $in: [...held.values()] } },
      { $set: { expiresAt: new Date(Date.now() + this.options.leaseMs) } },
    );
    const leases = await this.models.roomLeases.find({ _id: { $in: ids } }).lean<RoomLease[]>();
    const byId = new Map(leases.map((lease) => [lease._id, lease]));
    for (const [classroomId, token] of held) {
      const lease = byId.get(classroomId);
      if (lease?.token === token && lease.nodeId === nodeId) continue;
      const live = lease && lease.expiresAt.getTime() > Date.now();
      lost.set(classroomId, live ? lease.nodeId : undefined);
    }
    return lost;
  }

  /** Gives a lease this node holds to another node (a drain); false when it was not held any more. */
  async handOver(classroomId: string, token: string, toNodeId: string): Promise<boolean> {
    const result = await this.models.roomLeases.updateOne(
      { _id: classroomId, token },
      {
        $set: {
          nodeId: toNodeId,
          token: randomId(),
          acquiredAt: new Date(),
          expiresAt: new Date(Date.now() + this.options.leaseMs),
        },
      },
    );
    return result.modifiedCount > 0;
  }

  async release(classroomId: string, token: string): Promise<void> {
    await this.models.roomLeases.deleteOne({ _id: classroomId, token });
  }

  /** Live leases per node, for placing new rooms and for metrics. */
  async countByNode(): Promise<Map<string, number>> {
    const leases = await this.models.roomLeases
      .find({ expiresAt: { $gt: new Date() } }, { nodeId: 1 })
      .lean<Array<{ nodeId: string }>>();
    const counts = new Map<string, number>();
    for (const { nodeId } of leases) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    return counts;
  }

  /** For the retention sweeper: leases that expired long ago (a node that died and never came back). */
  async deleteExpired(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.options.leaseMs);
    return (await this.models.roomLeases.deleteMany({ expiresAt: { $lt: before } })).deletedCount;
  }
}
