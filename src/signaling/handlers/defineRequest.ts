import type { JoinClaims, JoinTokens } from '../../classroom/joinToken.js';
import type { Participant } from '../../classroom/live/Participant.js';
import type { ParticipantState } from '../../classroom/live/participantState.js';
import type { Room } from '../../classroom/live/Room.js';
import type { Permission } from '../../classroom/permissions.js';
import type { RequestName, RequestPayload, RequestResults } from '../../protocol/index.js';

/** Everything a request handler may use: its room, the participant, the socket's claims. */
export interface RequestContext<N extends RequestName> {
  room: Room;
  participant: Participant;
  payload: RequestPayload<N>;
  claims: JoinClaims;
  tokens: JoinTokens;
}

/**
 * One request of the protocol: the states in which it exists, the permission
 * it needs (or how to find it from the payload), an extra rate limit if it
 * has one, and what it does. The request pipeline enforces all of it before
 * `run` is called, so handlers never check state or permission themselves.
 */
export interface RequestSpec<N extends RequestName> {
  states: readonly ParticipantState[];
  permission?: Permission | ((context: RequestContext<N>) => Permission | undefined);
  /** Messages people read cost more than protocol requests: chat has its own, slower limit. */
  limit?: 'chat';
  run(context: RequestContext<N>): Promise<RequestResults[N]> | RequestResults[N];
}

export type RequestRegistry = { [N in RequestName]: RequestSpec<N> };

/** Keeps each feature's handlers typed by request name. */
export function defineRequests<T extends { [N in keyof T]: N extends RequestName ? RequestSpec<N> : never }>(
  specs: T,
): T {
  return specs;
}

/** Requests of people in the lesson. */
export const JOINED = ['joined'] as const satisfies readonly ParticipantState[];
/** Teacher requests that also work before the lesson starts (the teacher waits in the lobby then). */
export const PRESENT = ['lobby', 'joined'] as const satisfies readonly ParticipantState[];
