import { EventEmitter } from 'node:events';
import type { ServerEventName, ServerEvents } from '../../signaling/protocol.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Participant } from './Participant.js';
import { canMove, moveTo, type LobbyReason, type ParticipantState } from './participantState.js';

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
 * participants: the lobby and the pre-join screen see nothing of the lesson.
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

  get(participantId: string): Participant | undefined {
    return this.participants.get(participantId);
  }

  inState(state: ParticipantState): Participant[] {
    return [...this.participants.values()].filter((participant) => participant.state === state);
  }

  joined(): Participant[] {
    return this.inState('joined');
  }

  get joinedCount(): number {
    let count = 0;
    for (const participant of this.participants.values()) if (participant.state === 'joined') count += 1;
    return count;
  }

  isJoined(participantId: string): boolean {
    return this.participants.get(participantId)?.state === 'joined';
  }

  /** A joined participant by id, for requests that act on someone else. */
  target(participantId: string): Participant {
    const target = this.participants.get(participantId);
    if (target?.state !== 'joined') {
      throw new NotFoundError('This participant is not in the lesson', 'UNKNOWN_PARTICIPANT');
    }
    return target;
  }

  /** Every tab of one user that is in the lesson or waiting for it. */
  tabsOf(userKey: string): Participant[] {
    return [...this.participants.values()].filter(
      (participant) =>
        participant.userKey === userKey && (participant.state === 'joined' || participant.state === 'lobby'),
    );
  }

  hasOtherJoinedTab(participant: Participant): boolean {
    for (const other of this.participants.values()) {
      if (other !== participant && other.state === 'joined' && other.userKey === participant.userKey)
        return true;
    }
    return false;
  }

  /** The joined tab of a user right now, for names and ids in chat history. */
  joinedTabOf(userKey: string): Participant | undefined {
    for (const participant of this.participants.values()) {
      if (participant.state === 'joined' && participant.userKey === userKey) return participant;
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
