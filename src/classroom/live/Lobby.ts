import type { WaitingStatus } from '../../protocol/index.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Membership } from './Membership.js';
import type { Participant } from './Participant.js';
import { inLesson } from './participantState.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';
import { lobbyEntries, waitingQueue, waitingStatus } from './waitingRoom.js';

/**
 * The waiting room. Teachers see who waits (in order) and how many seats are
 * free, and admit one, everyone waiting now, or deny; people waiting see their
 * place and whether the class is full. Only the teacher's own switch lets
 * students in by themselves as seats free; guests always wait for a click.
 */
export class Lobby {
  private noticePending = false;
  private admitting = false;
  private readonly lastStatus = new WeakMap<Participant, string>();

  constructor(
    private readonly ctx: RoomContext,
    private readonly membership: Membership,
    private readonly views: RoomViews,
  ) {
    ctx.roster.on('stateChanged', ({ from, to }) => {
      const seatsChanged = inLesson(from) !== inLesson(to);
      if (from !== 'lobby' && to !== 'lobby' && !seatsChanged) return;
      this.scheduleNotice();
      if (ctx.lesson?.autoAdmit) this.scheduleAutoAdmit();
    });
  }

  admit(participantId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const waiting = this.waiting(participantId);
      waiting.emit('lobby:admitted', await this.membership.enter(waiting));
    });
  }

  /**
   * Admits everyone waiting now (guests too: this is a teacher's click) while
   * seats last, and nothing more. Says who came in and who still waits.
   */
  admitAll(): Promise<{ admitted: number; waiting: number }> {
    return this.ctx.membershipQueue.run(async () => {
      const lesson = this.ctx.lesson;
      if (!lesson) throw new ConflictError('Start the lesson before admitting anyone', 'LESSON_NOT_STARTED');
      const admitted = await this.admitWhileSeatsLast({ guests: true });
      this.scheduleNotice();
      return { admitted, waiting: waitingQueue(this.ctx.roster).length };
    });
  }

  /** The teacher's switch: students (never guests) come in by themselves whenever a seat is free. */
  setAutoAdmit(enabled: boolean): void {
    const lesson = this.ctx.lesson;
    if (!lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
    if (lesson.autoAdmit === enabled) return;
    lesson.autoAdmit = enabled;
    this.ctx.services.lessons.setAutoAdmit(lesson._id, enabled);
    this.views.broadcastState();
    if (enabled) this.scheduleAutoAdmit();
  }

  deny(participantId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const waiting = this.waiting(participantId);
      waiting.emit('lobby:denied', { reason: 'The teacher did not let you in.' });
      await this.membership.exit(waiting, { reason: 'denied' });
      waiting.channel.disconnect('denied');
    });
  }

  /** On the queue: the first in line come in while the class has free seats; guests only by a click. */
  private async admitWhileSeatsLast(options: { guests: boolean }): Promise<number> {
    let admitted = 0;
    for (const participant of waitingQueue(this.ctx.roster)) {
      if (participant.lobbyReason !== 'waiting-room') continue;
      if (participant.role === 'guest' && !options.guests) continue;
      const seats = this.views.seats();
      if (seats.taken >= seats.cap) break;
      try {
        participant.emit('lobby:admitted', await this.membership.enter(participant));
        admitted += 1;
      } catch (error) {
        // Another process took the last seat, or the database is away: the rest keep waiting.
        if (error instanceof ConflictError && error.code === 'ROOM_FULL') break;
        this.ctx.logger.warn({ err: error, participantId: participant.id }, 'admit() | could not admit');
        break;
      }
    }
    return admitted;
  }

  private scheduleAutoAdmit(): void {
    if (this.admitting) return;
    this.admitting = true;
    queueMicrotask(() => {
      void this.ctx.membershipQueue
        .run(async () => {
          if (this.ctx.lesson?.autoAdmit) await this.admitWhileSeatsLast({ guests: false });
        })
        .finally(() => {
          this.admitting = false;
        });
    });
  }

  private waiting(participantId: string): Participant {
    const waiting = this.ctx.roster.get(participantId);
    if (waiting?.state !== 'lobby' || waiting.isTeacher) {
      throw new NotFoundError('Nobody with this id is waiting in the lobby', 'NOT_IN_LOBBY');
    }
    return waiting;
  }

  /**
   * Many moves in one turn (a lesson starting, admit all) become one notice:
   * the queue and free seats to teachers, each waiting person's place to them.
   */
  private scheduleNotice(): void {
    if (this.noticePending) return;
    this.noticePending = true;
    queueMicrotask(() => {
      this.noticePending = false;
      const seats = this.views.seats();
      const queue = waitingQueue(this.ctx.roster);
      this.ctx.roster.toTeachers('lobby:changed', {
        lobby: lobbyEntries(queue),
        seats,
        autoAdmit: this.ctx.lesson?.autoAdmit ?? false,
      });
      for (const participant of this.ctx.roster.inState('lobby'))
        this.tell(participant, waitingStatus(participant, queue, seats));
    });
  }

  private tell(participant: Participant, status: WaitingStatus): void {
    const key = JSON.stringify(status);
    if (this.lastStatus.get(participant) === key) return;
    this.lastStatus.set(participant, key);
    participant.emit('lobby:status', status);
  }
}
