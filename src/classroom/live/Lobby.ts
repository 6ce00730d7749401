import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Membership } from './Membership.js';
import type { Participant } from './Participant.js';
import type { RoomContext } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';

/** The waiting room: teachers see who waits and admit or deny them. */
export class Lobby {
  private noticePending = false;

  constructor(
    private readonly ctx: RoomContext,
    private readonly membership: Membership,
    private readonly views: RoomViews,
  ) {
    ctx.roster.on('stateChanged', ({ from, to }) => {
      if (from === 'lobby' || to === 'lobby') this.scheduleNotice();
    });
  }

  admit(participantId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const waiting = this.waiting(participantId);
      const result = await this.membership.enter(waiting);
      waiting.emit('lobby:admitted', result);
    });
  }

  /** Admits everyone waiting while seats last; says how many came in. */
  admitAll(): Promise<number> {
    return this.ctx.membershipQueue.run(async () => {
      if (!this.ctx.lesson)
        throw new ConflictError('Start the lesson before admitting anyone', 'LESSON_NOT_STARTED');
      let admitted = 0;
      let full = false;
      for (const participant of this.ctx.roster.inState('lobby')) {
        if (participant.isTeacher) continue;
        try {
          participant.emit('lobby:admitted', await this.membership.enter(participant));
          admitted += 1;
        } catch (error) {
          if (error instanceof ConflictError && error.code === 'ROOM_FULL') full = true;
          else throw error;
        }
      }
      if (full && admitted === 0) throw new ConflictError('All seats are taken', 'ROOM_FULL');
      return admitted;
    });
  }

  deny(participantId: string): Promise<void> {
    return this.ctx.membershipQueue.run(async () => {
      const waiting = this.waiting(participantId);
      waiting.emit('lobby:denied', { reason: 'The teacher did not let you in.' });
      await this.membership.exit(waiting, { reason: 'denied' });
      waiting.channel.disconnect('denied');
    });
  }

  private waiting(participantId: string): Participant {
    const waiting = this.ctx.roster.get(participantId);
    if (waiting?.state !== 'lobby' || waiting.isTeacher) {
      throw new NotFoundError('Nobody with this id is waiting in the lobby', 'NOT_IN_LOBBY');
    }
    return waiting;
  }

  /** Many moves in one turn (a lesson starting, admit all) become one notice to the teachers. */
  private scheduleNotice(): void {
    if (this.noticePending) return;
    this.noticePending = true;
    queueMicrotask(() => {
      this.noticePending = false;
      this.ctx.roster.toTeachers('lobby:changed', { lobby: this.views.lobby() });
    });
  }
}
