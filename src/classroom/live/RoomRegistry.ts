import type { Logger } from '../../shared/logger.js';
import type { ClassroomSettingsUpdate } from '../classroomSchemas.js';
import type { Classroom } from '../ClassroomService.js';
import type { LessonService } from '../LessonService.js';
import { Room, type RoomServices } from './Room.js';

export interface RoomRegistryOptions {
  /** How often seats, attendance and lesson activity are renewed; well within the seat lease. */
  heartbeatMs: number;
  /** Live lessons nobody was connected to for this long end. */
  idleLessonMs: number;
  /** A room nobody is connected to is dropped after this long (a reload must not lose admissions). */
  vacantRoomMs: number;
}

/** The rooms this process serves, created on first connection and dropped when vacant. */
export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly vacancyTimers = new Map<string, NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | undefined;
  private beating = false;
  private closing = false;

  constructor(
    private readonly services: RoomServices & { lessons: LessonService },
    private readonly options: RoomRegistryOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  get(classroomId: string): Promise<Room> {
    this.cancelVacancy(classroomId);
    let room = this.rooms.get(classroomId);
    if (!room) {
      room = this.services.databaseHealth
        .guard(() => Room.create(classroomId, this.services))
        .then((created) => {
          created.on('vacant', () => this.scheduleVacancy(classroomId, created));
          created.once('closed', () => {
            if (this.rooms.get(classroomId) === room) this.rooms.delete(classroomId);
          });
          return created;
        });
      room.catch(() => this.rooms.delete(classroomId));
      this.rooms.set(classroomId, room);
    }
    return room;
  }

  async peek(classroomId: string): Promise<Room | undefined> {
    return this.rooms.get(classroomId)?.catch(() => undefined);
  }

  /** Changes a classroom's settings; a live room here enforces them on everyone at once. */
  async applySettings(classroomId: string, changes: ClassroomSettingsUpdate): Promise<Classroom> {
    const room = await this.peek(classroomId);
    if (!room) return this.services.classrooms.update(classroomId, changes);
    await room.applySettings(changes);
    return room.ctx.classroom;
  }

  async stats(): Promise<{ rooms: number; participants: number }> {
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    const live = rooms.filter((room): room is Room => room?.lessonId !== undefined);
    return { rooms: live.length, participants: live.reduce((sum, room) => sum + room.participantCount, 0) };
  }

  /** Renews what connected participants hold and ends lessons left empty. */
  async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      for (const pending of this.rooms.values()) {
        const room = await pending.catch(() => undefined);
        await room?.lesson.endIfSwitchedOff().catch((error: unknown) => {
          this.logger.warn({ err: error, classroomId: room.classroomId }, 'beat() | switch check failed');
        });
        room?.lesson.heartbeat();
        for (const group of room?.breakouts?.rooms() ?? []) group.lesson.heartbeat();
      }
      const ended = await this.services.lessons.endIdle(this.options.idleLessonMs);
      for (const lessonId of ended) {
        for (const pending of this.rooms.values()) {
          const room = await pending.catch(() => undefined);
          if (room?.lessonId === lessonId) await room.lesson.endedElsewhere(lessonId);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'beat() | failed');
    } finally {
      this.beating = false;
    }
  }

  private scheduleVacancy(classroomId: string, room: Room): void {
    if (this.closing) return;
    this.cancelVacancy(classroomId);
    const timer = setTimeout(() => {
      this.vacancyTimers.delete(classroomId);
      if (!room.isVacant) return;
      this.rooms.delete(classroomId);
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
    this.logger.info('close() | rooms closed');
  }
}
