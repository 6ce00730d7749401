import type { Logger } from '../../shared/logger.js';
import type { ClassroomSettingsUpdate } from '../../protocol/index.js';
import type { Classroom as ClassroomRecord } from '../ClassroomService.js';
import type { LessonService } from '../LessonService.js';
import { RoomElsewhereError, type ClusterNode } from '../placement/ClusterNode.js';
import type { NodeLoad } from '../placement/NodeDirectory.js';
import { Classroom, type RoomServices } from './Classroom.js';

export interface RoomRegistryOptions {
  /** How often seats, attendance and lesson activity are renewed; well within the seat lease. */
  heartbeatMs: number;
  /** Live lessons nobody was connected to for this long end. */
  idleLessonMs: number;
  /** A room nobody is connected to is dropped after this long (a reload must not lose admissions). */
  vacantRoomMs: number;
}

/** How soon a page sent elsewhere tries again (the room may be between nodes). */
const RETRY_ELSEWHERE_MS = 1000;

/**
 * The rooms this process serves, created on first connection and dropped
 * when vacant. With several nodes on one database a classroom's room lives on
 * the node that holds its lease (ClusterNode): a connection for a classroom
 * served elsewhere is refused with where to go, and a room whose lease
 * another node took, or that a draining node hands over, moves with its pages.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Classroom>>();
  private readonly vacancyTimers = new Map<string, NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | undefined;
  private beating = false;
  private closing = false;
  /** Rooms handed to another node since start (drain, or a lease another node took). */
  private movedAway = 0;

  constructor(
    private readonly services: RoomServices & { lessons: LessonService },
    private readonly options: RoomRegistryOptions,
    private readonly logger: Logger,
    readonly cluster: ClusterNode,
  ) {
    cluster.on('leaseLost', (classroomId, holder) => void this.moveAway(classroomId, holder));
  }

  async start(): Promise<void> {
    await this.cluster.start();
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Lets a connection for the classroom in when this node serves it (placing
   * a classroom nobody serves on the least-loaded node); otherwise throws
   * RoomElsewhereError naming the node that does.
   */
  async admit(classroomId: string): Promise<void> {
    if (this.rooms.has(classroomId)) return;
    const placement = await this.services.databaseHealth.guard(() => this.cluster.admit(classroomId));
    if (!placement.here) throw new RoomElsewhereError(placement.nodeId, RETRY_ELSEWHERE_MS);
  }

  get(classroomId: string): Promise<Classroom> {
    this.cancelVacancy(classroomId);
    let room = this.rooms.get(classroomId);
    if (!room) {
      room = this.services.databaseHealth
        .guard(() => Classroom.create(classroomId, this.services))
        .then((created) => {
          created.on('vacant', () => this.scheduleVacancy(classroomId, created));
          created.once('closed', () => {
            if (this.rooms.get(classroomId) !== room) return;
            this.rooms.delete(classroomId);
            this.releaseLease(classroomId);
          });
          return created;
        });
      room.catch(() => {
        this.rooms.delete(classroomId);
        this.releaseLease(classroomId);
      });
      this.rooms.set(classroomId, room);
    }
    return room;
  }

  async peek(classroomId: string): Promise<Classroom | undefined> {
    return this.rooms.get(classroomId)?.catch(() => undefined);
  }

  /** Changes a classroom's settings; a live room here enforces them on everyone at once. */
  async applySettings(classroomId: string, changes: ClassroomSettingsUpdate): Promise<ClassroomRecord> {
    const room = await this.peek(classroomId);
    if (!room) return this.services.classrooms.update(classroomId, changes);
    return room.applySettings(changes);
  }

  async stats(): Promise<{ rooms: number; participants: number }> {
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    const live = rooms.filter((room): room is Classroom => room?.lessonId !== undefined);
    return { rooms: live.length, participants: live.reduce((sum, room) => sum + room.participantCount, 0) };
  }

  /** Read-only, for the operator's view: the rooms here with a live lesson and who is in each (the class's roster holds its breakout groups too). */
  async liveRooms(): Promise<Array<{ classroomId: string; lessonId: string; participants: number }>> {
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    return rooms.flatMap((room) =>
      room?.lessonId === undefined
        ? []
        : [
            {
              classroomId: room.classroomId,
              lessonId: room.lessonId,
              participants: room.participantCount,
            },
          ],
    );
  }

  /** Where this node stands among the others, for metrics. */
  placementStats(): { leasesHeld: number; leasesLost: number; roomsMovedAway: number; draining: boolean } {
    return {
      leasesHeld: this.cluster.leaseCount,
      leasesLost: this.cluster.leasesLost,
      roomsMovedAway: this.movedAway,
      draining: this.cluster.isDraining,
    };
  }

  /** What this node tells the others about itself, for placing new rooms. */
  async load(): Promise<NodeLoad> {
    const { participants } = await this.stats();
    const { workerPool, maxPerRouter } = this.services;
    return {
      rooms: this.rooms.size,
      participants,
      capacity: Math.max(1, workerPool.aliveCount) * maxPerRouter,
      workersAlive: workerPool.aliveCount,
    };
  }

  /**
   * Shutdown with other nodes around: no new rooms come here, and each room
   * goes to the least-loaded other node, its pages told to reconnect there.
   * Without another node the rooms stay put for this node's successor (the
   * pages wait for it as for a restart).
   */
  async drain(): Promise<void> {
    const othersAround = await this.cluster.drain().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'drain() | could not mark the node draining');
      return false;
    });
    if (!othersAround) return;
    const moves: Promise<void>[] = [];
    for (const classroomId of [...this.rooms.keys()]) {
      const target = await this.cluster.handOver(classroomId).catch((error: unknown) => {
        this.logger.warn({ err: error, classroomId }, 'drain() | no node took the room over');
        return undefined;
      });
      if (target) moves.push(this.moveAway(classroomId, target));
    }
    await Promise.all(moves);
  }

  /** The classroom is served by `nodeId` now (or by nobody yet): its pages reconnect, the room here closes. */
  private async moveAway(classroomId: string, nodeId: string | undefined): Promise<void> {
    const pending = this.rooms.get(classroomId);
    if (!pending) return;
    this.rooms.delete(classroomId);
    this.cancelVacancy(classroomId);
    this.movedAway += 1;
    const room = await pending.catch(() => undefined);
    await room?.moveTo(nodeId);
    this.logger.info({ classroomId, nodeId }, 'moveAway() | room moved to another node');
  }

  private releaseLease(classroomId: string): void {
    this.cluster.release(classroomId).catch((error: unknown) => {
      this.logger.warn(
        { err: error, classroomId },
        'releaseLease() | lease not released, it expires by itself',
      );
    });
  }

  /** Renews what connected participants hold and ends lessons left empty. */
  async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      for (const pending of this.rooms.values()) {
        const room = await pending.catch(() => undefined);
        await room?.endIfSwitchedOff().catch((error: unknown) => {
          this.logger.warn({ err: error, classroomId: room.classroomId }, 'beat() | switch check failed');
        });
        room?.heartbeat();
      }
      const ended = await this.services.lessons.endIdle(this.options.idleLessonMs);
      for (const lessonId of ended) {
        for (const pending of this.rooms.values()) {
          const room = await pending.catch(() => undefined);
          if (room?.lessonId === lessonId) await room.endedElsewhere(lessonId);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'beat() | failed');
    } finally {
      this.beating = false;
    }
  }

  private scheduleVacancy(classroomId: string, room: Classroom): void {
    if (this.closing) return;
    this.cancelVacancy(classroomId);
    const timer = setTimeout(() => {
      this.vacancyTimers.delete(classroomId);
      if (!room.isVacant) return;
      this.rooms.delete(classroomId);
      this.releaseLease(classroomId);
      room.close();
    }, this.options.vacantRoomMs);
    timer.unref();
    this.vacancyTimers.set(classroomId, timer);
  }

  private cancelVacancy(classroomId: string): void {
    clearTimeout(this.vacancyTimers.get(classroomId));
    this.vacancyTimers.delete(classroomId);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const timer of this.vacancyTimers.values()) clearTimeout(timer);
    for (const pending of this.rooms.values()) {
      const room = await pending.catch(() => undefined);
      await room?.closeGracefully();
    }
    this.rooms.clear();
    await this.cluster.stop().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'close() | node record not removed, it goes stale by itself');
    });
    this.logger.info('close() | rooms closed');
  }
}
