import type { WaitingStatus } from '../../../protocol/index.js';
import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import type { ClassroomContext } from '../ClassroomContext.js';
import type { Participant } from '../Participant.js';
import { inLesson, type ParticipantState } from '../participantState.js';
import type { Views } from '../Views.js';
import type { LessonLifecycle } from './LessonLifecycle.js';
import type { Membership } from './Membership.js';
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
    private readonly ctx: ClassroomContext,
    private readonly lesson: LessonLifecycle,
    private readonly membership: Membership,
    private readonly views: Views,
  ) {}

  /** Someone started or stopped waiting, or a seat was taken or freed: notices, and maybe the next one in. */
  stateChanged(from: ParticipantState, to: ParticipantState): void {
    const seatsChanged = inLesson(from) !== inLesson(to);
    if (from !== 'lobby' && to !== 'lobby' && !seatsChanged) return;
    this.scheduleNotice();
    if (this.ctx.lesson?.autoAdmit) this.scheduleAutoAdmit();
  }

  /**
   * The lesson just started (on the queue): whoever waited for the start
   * comes in, teachers first so students enter a lesson that has its teacher;
   * guests still wait for a teacher's click.
   */
  async lessonStarted(): Promise<void> {
    const waiting = this.ctx.roster
      .inState('lobby')
      .sort((a, b) => Number(b.isTeacher) - Number(a.isTeacher));
    for (const participant of waiting) {
      if (participant.role === 'guest') {
        this.ctx.roster.transition(participant, 'lobby', 'waiting-room');
        continue;
      }
      if (participant.lobbyReason !== 'not-started') continue;
      try {
        participant.emit('lesson:started', await this.membership.enter(participant));
      } catch (error) {
        this.ctx.roster.transition(participant, 'lobby', 'waiting-room');
        this.ctx.logger.warn(
          { participantId: participant.id, err: error },
          'lessonStarted() | could not bring a waiting participant in',
        );
      }
    }
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
      this.lesson.require('Start the lesson before admitting anyone');
      const admitted = await this.admitWhileSeatsLast({ guests: true });
      this.scheduleNotice();
      return { admitted, waiting: waitingQueue(this.ctx.roster).length };
    });
  }

  /** The teacher's switch: students (never guests) come in by themselves whenever a seat is free. */
  setAutoAdmit(enabled: boolean): void {
    if (!this.lesson.setAutoAdmit(enabled)) return;
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
