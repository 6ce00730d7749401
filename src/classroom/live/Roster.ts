import type { ServerEventName, ServerEvents } from '../../protocol/index.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Participant, ParticipantChannel } from './Participant.js';
import {
  canMove,
  inClass,
  inLesson,
  moveTo,
  takeChannel,
  type LobbyReason,
  type ParticipantState,
} from './participantState.js';

export interface StateChange {
  participant: Participant;
  from: ParticipantState;
  to: ParticipantState;
}

/**
 * Everyone attached to one classroom, in any state and any group, and the one
 * place that moves a participant from one state to another. It tells one
 * observer of each change: the classroom, which passes it on to its features
 * in a fixed order.
 */
export class Roster {
  private readonly participants = new Map<string, Participant>();
  private observer: ((change: StateChange) => void) | undefined;

  /** The classroom's one listener; set once when it is built. */
  observe(observer: (change: StateChange) => void): void {
    if (this.observer) throw new Error('The roster already has its observer');
    this.observer = observer;
  }

  add(participant: Participant): void {
    this.participants.set(participant.id, participant);
  }

  transition(participant: Participant, to: ParticipantState, lobbyReason?: LobbyReason): void {
    const from = participant.state;
    if (!canMove(from, to)) {
      throw new ConflictError(
        `Cannot go from ${from} to ${to}`,
        from === 'joined' ? 'ALREADY_JOINED' : 'WRONG_STATE',
      );
    }
    participant[moveTo](to, lobbyReason);
    if (to === 'left') this.participants.delete(participant.id);
    this.observer?.({ participant, from, to });
  }

  /**
   * A page came back (`away`, or a connection the server has not noticed
   * dropping): the participant continues on the new connection, and the
   * placeholder that connection attached as disappears without a trace.
   */
  takeOver(participant: Participant, placeholder: Participant, channel: ParticipantChannel): void {
    this.release(placeholder);
    const previous = participant[takeChannel](channel);
    if (previous !== channel) previous.disconnect('resumed elsewhere');
    if (participant.state === 'away') this.transition(participant, 'joined');
  }

  /** A placeholder connection that turned out to be someone already here goes without a trace. */
  release(placeholder: Participant): void {
    this.participants.delete(placeholder.id);
    placeholder[moveTo]('left');
  }

  get(participantId: string): Participant | undefined {
    return this.participants.get(participantId);
  }

  inState(state: ParticipantState): Participant[] {
    return [...this.participants.values()].filter((participant) => participant.state === state);
  }

  /** Connected and in the lesson, in any group. */
  joined(): Participant[] {
    return this.inState('joined');
  }

  /** In the lesson, connected or coming back (`away`): who holds a seat. */
  inLesson(): Participant[] {
    return [...this.participants.values()].filter((participant) => inLesson(participant.state));
  }

  get inLessonCount(): number {
    let count = 0;
    for (const participant of this.participants.values()) if (inLesson(participant.state)) count += 1;
    return count;
  }

  /** A participant of the lesson by id, for requests that act on someone else. */
  target(participantId: string): Participant {
    const target = this.participants.get(participantId);
    if (!target || !inLesson(target.state)) {
      throw new NotFoundError('This participant is not in the lesson', 'UNKNOWN_PARTICIPANT');
    }
    return target;
  }

  /** Every tab of one user that is in the lesson or waiting for it. */
  tabsOf(userKey: string): Participant[] {
    return [...this.participants.values()].filter(
      (participant) => participant.userKey === userKey && inClass(participant.state),
    );
  }

  /** A user's other tab in the lesson, if any: it keeps the seat and the attendance row. */
  otherTabInLesson(participant: Participant): Participant | undefined {
    for (const other of this.participants.values()) {
      if (other !== participant && inLesson(other.state) && other.userKey === participant.userKey)
        return other;
    }
    return undefined;
  }

  /** A user's tab in the lesson right now, if any. */
  tabInLesson(userKey: string): Participant | undefined {
    for (const participant of this.participants.values()) {
      if (inLesson(participant.state) && participant.userKey === userKey) return participant;
    }
    return undefined;
  }

  /** Attached connections in any state: the classroom lives while one exists. */
  get size(): number {
    return this.participants.size;
  }

  all(): Participant[] {
    return [...this.participants.values()];
  }

  /** Joined teachers anywhere in the class: the lobby notice, requests for help. */
  toTeachers<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    for (const participant of this.participants.values()) {
      if (participant.state === 'joined' && participant.isTeacher) participant.emit(event, payload);
    }
  }
}
