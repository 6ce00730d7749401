import type { ParticipantMedia } from '../../media/ParticipantMedia.js';
import type { ParticipantInfo, ServerEventName, ServerEvents } from '../../protocol/index.js';
import { randomId } from '../../shared/ids.js';
import type { AulaRole, PermissionSubject } from '../permissions.js';
import { moveTo, type LobbyReason, type ParticipantState } from './participantState.js';
import type { Room } from './Room.js';

/** How the room reaches one participant's connection; the signalling layer implements it. */
export interface ParticipantChannel {
  emit<E extends ServerEventName>(event: E, payload: ServerEvents[E]): void;
  disconnect(reason: string): void;
  /** The connection now speaks for another participant in another room of the class (breakout rooms). */
  transfer(to: { room: Room; participant: Participant }): void;
}

export interface ParticipantIdentity {
  userKey: string;
  lmsUserId?: string;
  displayName: string;
  role: AulaRole;
  restricted: boolean;
}

/**
 * One connection (one browser tab) in a classroom. Two tabs of one user are
 * two participants sharing a seat. Its state changes only through the
 * roster; the fields below are each written by one feature, named beside it.
 */
export class Participant implements PermissionSubject {
  readonly id = randomId(9);
  #state: ParticipantState = 'connected';
  /** Set by the roster on entering the lobby. */
  lobbyReason: LobbyReason | undefined;
  waitingSince = Date.now();
  /** Hands. */
  handRaisedAt: number | null = null;
  /** Moderation: the teacher gave them the floor. */
  hasFloor = false;
  /** Media session: transports, producers, consumers on the router they were placed on. */
  media: ParticipantMedia | undefined;
  /** Membership: the open attendance interval while joined. */
  attendanceId: string | undefined;
  /** Reconnection: proves a returning page is this tab; only this tab's page ever sees it. */
  readonly resumeKey = randomId(18);
  /** Reconnection: when the connection dropped, while `away`. */
  awaySince: number | undefined;
  /** View policy: tiles this participant's page shows; undefined until it reports them. */
  visible: Set<string> | undefined;
  focus: string | null = null;

  constructor(
    readonly identity: ParticipantIdentity,
    /** Replaced when the page comes back on a new connection (Roster.takeOver). */
    public channel: ParticipantChannel,
  ) {}

  get state(): ParticipantState {
    return this.#state;
  }

  [moveTo](next: ParticipantState, lobbyReason?: LobbyReason): void {
    this.#state = next;
    this.lobbyReason = next === 'lobby' ? lobbyReason : undefined;
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
    this.channel.emit(event, payload);
  }

  info(): ParticipantInfo {
    const sources: ParticipantInfo['sources'] = {};
    for (const [source, producer] of this.media?.producers ?? []) {
      sources[source] = { producerId: producer.id, paused: producer.paused };
    }
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      handRaisedAt: this.handRaisedAt,
      hasFloor: this.hasFloor,
      away: this.#state === 'away',
      sources,
    };
  }
}
