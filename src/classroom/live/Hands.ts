import type { Participant } from './Participant.js';
import { inLesson } from './participantState.js';
import type { RoomContext } from './RoomContext.js';

/** Raised hands in the order they went up, and the teacher's calls on them. */
export class Hands {
  constructor(private readonly ctx: RoomContext) {
    // Leaving the lesson (or the lesson ending) lowers a hand and takes back the floor.
    ctx.roster.on('stateChanged', ({ participant, from, to }) => {
      if (!inLesson(from) || inLesson(to)) return;
      participant.handRaisedAt = null;
      participant.hasFloor = false;
    });
  }

  queue(): string[] {
    return this.ctx.roster
      .inLesson()
      .filter((participant) => participant.handRaisedAt !== null)
      .sort((a, b) => a.handRaisedAt! - b.handRaisedAt!)
      .map((participant) => participant.id);
  }

  raise(participant: Participant): string[] {
    participant.handRaisedAt ??= Date.now();
    this.ctx.roster.broadcast('participantUpdated', participant.info());
    return this.queue();
  }

  lower(target: Participant): string[] {
    target.handRaisedAt = null;
    this.ctx.roster.broadcast('participantUpdated', target.info());
    return this.queue();
  }

  lowerAll(): void {
    for (const participant of this.ctx.roster.inLesson()) {
      if (participant.handRaisedAt === null) continue;
      participant.handRaisedAt = null;
      this.ctx.roster.broadcast('participantUpdated', participant.info());
    }
  }

  /** The seeds' advice: tell the next speakers in advance so they are ready when their turn comes. */
  callNext(teacher: Participant, count: number): string[] {
    const called = this.queue().slice(0, count);
    for (const id of called) this.ctx.roster.get(id)?.emit('hand:called', { byName: teacher.displayName });
    return called;
  }
}
