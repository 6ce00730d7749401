import type { Logger } from '../../shared/logger.js';
import type { NodeDirectory, NodeInfo } from './NodeDirectory.js';
import type { RoomLease, RoomLeases } from './RoomLeases.js';

/** Where a classroom's live room is: here (with this node's lease token), on another node, or nowhere yet. */
export type Placement = { here: true; token: string } | { here: false; nodeId: string | undefined };

/**
 * Decides which node serves a classroom. A classroom with a live lease stays
 * where it is; one without goes to the least-loaded live node that is not
 * draining (fewest participants for its capacity, then fewest rooms), and
 * the node that decides takes the lease for it, so the browser it sends
 * there is expected.
 */
export class RoomPlacement {
  constructor(
    private readonly directory: NodeDirectory,
    private readonly leases: RoomLeases,
    private readonly logger: Logger,
  ) {}

  get nodeId(): string {
    return this.directory.id;
  }

  async place(classroomId: string): Promise<Placement> {
    const lease = await this.leases.current(classroomId);
    if (lease) return this.answer(lease);
    const target = await this.leastLoaded({ excludeSelf: this.directory.isDraining });
    if (!target) return { here: false, nodeId: undefined };
    const taken = await this.leases.acquire(classroomId, target);
    if (taken.nodeId !== this.nodeId) {
      this.logger.info({ classroomId, nodeId: taken.nodeId }, 'place() | classroom placed on another node');
    }
    return this.answer(taken);
  }

  /** The live node that should take the next room; undefined when there is none (all draining). */
  async leastLoaded(options: { excludeSelf: boolean }): Promise<string | undefined> {
    const [nodes, rooms] = await Promise.all([this.directory.live(), this.leases.countByNode()]);
    const candidates = nodes.filter(
      (node) => !node.draining && node.workersAlive > 0 && !(options.excludeSelf && node._id === this.nodeId),
    );
    // No node the database knows as live: this one is, whatever its record says.
    return this.pick(candidates, rooms) ?? (options.excludeSelf ? undefined : this.nodeId);
  }

  private pick(candidates: NodeInfo[], rooms: Map<string, number>): string | undefined {
    const score = (node: NodeInfo) => node.participants / Math.max(1, node.capacity);
    const sorted = [...candidates].sort(
      (a, b) =>
        score(a) - score(b) ||
        (rooms.get(a._id) ?? 0) - (rooms.get(b._id) ?? 0) ||
        // On a tie, the node that decides takes it: no detour for the browser.
        Number(b._id === this.nodeId) - Number(a._id === this.nodeId) ||
        a._id.localeCompare(b._id),
    );
    return sorted[0]?._id;
  }

  private answer(lease: RoomLease): Placement {
    return lease.nodeId === this.nodeId
      ? { here: true, token: lease.token }
      : { here: false, nodeId: lease.nodeId };
  }
}
