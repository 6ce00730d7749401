import type { ServerEventName, ServerEvents } from '../../protocol/index.js';
import { randomId } from '../../shared/ids.js';
import type { AulaRole } from '../permissions.js';
import { moveTo, takeChannel, type LobbyReason, type ParticipantState } from './participantState.js';

/** How the classroom reaches one participant's connection; the signalling layer implements it. */
export interface ParticipantChannel {
  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void;
  disconnect(reason: string): void;
}

export interface ParticipantIdentity {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole;
  restricted: boolean;
}

/**
 * One connection (one browser tab) in a classroom: one object for the whole
 * lesson, in the main room or a breakout group (the classroom's groups know
 * which). Two tabs of one user are two participants sharing a seat. Its
 * state changes only through the roster; what a feature knows about it (a
 * raised hand, an attendance interval, its media) the feature keeps itself.
 */
export class Participant {
  readonly id = randomId(9);
  /** Proves a returning page is this tab; only this tab's page ever sees it. */
  readonly resumeKey = randomId(18);
  #state: ParticipantState = 'connected';
  #lobbyReason: LobbyReason | undefined;
  #waitingSince = Date.now();
  #channel: ParticipantChannel;

  constructor(
    readonly identity: ParticipantIdentity,
    channel: ParticipantChannel,
  ) {
    this.#channel = channel;
  }

  get state(): ParticipantState {
    return this.#state;
  }

  /** Why they wait, while in the lobby. */
  get lobbyReason(): LobbyReason | undefined {
    return this.#lobbyReason;
  }

  /** Since when they wait: their place in the queue. */
  get waitingSince(): number {
    return this.#waitingSince;
  }

  get channel(): ParticipantChannel {
    return this.#channel;
  }

  /** Only the roster moves a participant (Roster.transition). */
  [moveTo](next: ParticipantState, lobbyReason?: LobbyReason): void {
    if (next === 'lobby' && this.#state !== 'lobby') this.#waitingSince = Date.now();
    this.#state = next;
    this.#lobbyReason = next === 'lobby' ? lobbyReason : undefined;
  }

  /** Only the roster hands a participant a new connection (Roster.takeOver). */
  [takeChannel](channel: ParticipantChannel): ParticipantChannel {
    const previous = this.#channel;
    this.#channel = channel;
    return previous;
  }

  get userKey(): string {
    return this.identity.userKey;
  }

  get role(): AulaRole {
    return this.identity.role;
  }

  get restricted(): boolean {
    return this.identity.restricted;
  }

  get displayName(): string {
    return this.identity.displayName;
  }

  get isTeacher(): boolean {
    return this.identity.role === 'teacher';
  }

  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void {
    this.#channel.emit(event, payload);
  }
}
