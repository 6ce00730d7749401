import type { ServerEventName, ServerEvents } from '../../../protocol/index.js';
import { NotFoundError } from '../../../shared/errors.js';
import type { Participant } from '../Participant.js';

/**
 * Who is in one group of the class (the main room or a breakout group), in
 * the order they came: participants of the lesson, connected or `away`.
 * Broadcasts go to the connected ones; someone away has no connection.
 */
export class Members {
  private readonly members = new Map<string, Participant>();

  add(participant: Participant): void {
    this.members.set(participant.id, participant);
  }

  delete(participant: Participant): void {
    this.members.delete(participant.id);
  }

  has(participant: Participant): boolean {
    return this.members.get(participant.id) === participant;
  }

  get(participantId: string): Participant | undefined {
    return this.members.get(participantId);
  }

  /** A member by id, for requests that act on someone else in the group. */
  target(participantId: string): Participant {
    const target = this.members.get(participantId);
    if (!target) throw new NotFoundError('This participant is not in the lesson', 'UNKNOWN_PARTICIPANT');
    return target;
  }

  /** Everyone in the group, connected or coming back. */
  inLesson(): Participant[] {
    return [...this.members.values()];
  }

  /** Connected members: who receives broadcasts and may send requests. */
  joined(): Participant[] {
    return this.inLesson().filter((participant) => participant.state === 'joined');
  }

  get size(): number {
    return this.members.size;
  }

  broadcast<E extends ServerEventName>(event: E, payload: ServerEvents[E], except?: Participant): void {
    for (const participant of this.members.values()) {
      if (participant.state === 'joined' && participant !== except) participant.emit(event, payload);
    }
  }
}
