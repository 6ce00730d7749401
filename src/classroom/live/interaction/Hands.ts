import { EventEmitter } from 'node:events';
import type { GroupContext } from '../groups/GroupContext.js';
import type { Participant } from '../Participant.js';

type HandsEvents = {
  /** A member's hand went up or down: pages show it. */
  changed: [participant: Participant];
};

/**
 * Who wants to speak in a group and who may: raised hands in the order they
 * went up, the teacher's calls on them, and the floor a teacher gives to one
 * member (who may then unmute even where students may not). Both end when the
 * member leaves the group.
 */
export class Hands extends EventEmitter<HandsEvents> {
  private readonly raisedAt = new Map<string, number>();
  private floorHolder: string | null = null;

  constructor(private readonly ctx: GroupContext) {
    super();
  }

  raisedAtOf(participant: Participant): number | null {
    return this.raisedAt.get(participant.id) ?? null;
  }

  hasFloor(participant: Participant): boolean {
    return this.floorHolder === participant.id;
  }

  queue(): string[] {
    return [...this.raisedAt]
      .filter(([participantId]) => this.ctx.members.get(participantId))
      .sort(([, a], [, b]) => a - b)
      .map(([participantId]) => participantId);
  }

  /** Raises a hand (once: raising again keeps its place); answers the queue. */
  raise(participant: Participant): string[] {
    if (!this.raisedAt.has(participant.id)) this.raisedAt.set(participant.id, Date.now());
    this.emit('changed', participant);
    return this.queue();
  }

  lower(participant: Participant): string[] {
    this.raisedAt.delete(participant.id);
    this.emit('changed', participant);
    return this.queue();
  }

  lowerAll(): void {
    const lowered = this.queue().flatMap((id) => this.ctx.members.get(id) ?? []);
    this.raisedAt.clear();
    for (const participant of lowered) this.emit('changed', participant);
  }

  /** The seeds' advice: tell the next speakers in advance so they are ready when their turn comes. */
  callNext(teacher: Participant, count: number): string[] {
    const called = this.queue().slice(0, count);
    for (const id of called) this.ctx.members.get(id)?.emit('hand:called', { byName: teacher.displayName });
    return called;
  }

  /** Gives the floor to one member (their hand goes down) or nobody; answers who had it before. */
  giveFloor(next: Participant | undefined): Participant | undefined {
    const previous = this.floorHolder === null ? undefined : this.ctx.members.get(this.floorHolder);
    this.floorHolder = next?.id ?? null;
    if (next) this.raisedAt.delete(next.id);
    return previous === next ? undefined : previous;
  }

  /** The member left the group (or the lesson): hand down, floor taken back. */
  forget(participant: Participant): void {
    this.raisedAt.delete(participant.id);
    if (this.floorHolder === participant.id) this.floorHolder = null;
  }
}
