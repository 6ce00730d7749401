import { EventEmitter } from 'node:events';
import type { ServerEventName, ServerEvents } from '../../protocol/index.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Participant, ParticipantChannel } from './Participant.js';
import {
  canMove,
  inClass,
  inLesson,
  moveTo,
  type LobbyReason,
  type ParticipantState,
} from './participantState.js';

export interface StateChange {
  participant: Participant;
  from: ParticipantState;
  to: ParticipantState;
}

type RosterEvents = {
  /** Someone moved between states; features react (the lobby notice, hands, the spotlight). */
  stateChanged: [change: StateChange];
};

/**
 * Everyone attached to one room, by state, and the one place that moves a
 * participant from one state to another. Broadcasts go to joined
 * participants: the lobby and the pre-join screen see nothing of the lesson,
 * and someone `away` has no connection to send to.
 */
export class Roster extends EventEmitter<RosterEvents> {
  private readonly participants = new Map<string, Participant>();

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
    this.emit('stateChanged', { participant, from, to });
  }

  /**
   * A page came back (`away` or a connection the server has not noticed
   * dropping): the participant continues on the new connection, and the
   * placeholder that connection attached as disappears without a trace.
   */
  takeOver(
    participant: Participant,
    placeholder: Participant,
    channel: ParticipantChannel,
    placeholderRoster: Roster = this,
  ): void {
    placeholderRoster.release(placeholder);
    const previous = participant.channel;
    participant.channel = channel;
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

  /** Connected and in the lesson: who receives broadcasts and may send requests. */
  joined(): Participant[] {
    return this.inState('joined');
  }

  /** In the lesson, connected or coming back (`away`): who holds a seat, a tile and a place in the queue. */
  inLesson(): Participant[] {
    return [...this.participants.values()].filter((participant) => inLesson(participant.state));
  }

  get inLessonCount(): number {
    let count = 0;
    for (const participant of this.participants.values()) if (inLesson(participant.state)) count += 1;
    return count;
  }

  isInLesson(participantId: string): boolean {
    const participant = this.participants.get(participantId);
    return participant !== undefined && inLesson(participant.state);
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

  hasOtherTabInLesson(participant: Participant): boolean {
    return this.otherTabInLesson(participant) !== undefined;
  }

  /** A user's tab in the lesson right now, for ids in chat history. */
  tabInLesson(userKey: string): Participant | undefined {
    for (const participant of this.participants.values()) {
      if (inLesson(participant.state) && participant.userKey === userKey) return participant;
    }
    return undefined;
  }

  /** Attached connections in any state: the room lives while one exists. */
  get size(): number {
    return this.participants.size;
  }

  all(): Participant[] {
    return [...this.participants.values()];
  }

  broadcast<E extends ServerEventName>(event: E, payload: ServerEvents[E], except?: Participant): void {
    for (const participant of this.participants.values()) {
      if (participant.state === 'joined' && participant !== except) participant.emit(event, payload);
    }
  }

  /** Joined teachers: the lobby notice, requests for help. */
  toTeachers<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    for (const participant of this.participants.values()) {
      if (participant.state === 'joined' && participant.isTeacher) participant.emit(event, payload);
    }
  }
}
