import type { JoinClaims, JoinTokens } from '../../classroom/joinToken.js';
import type { Classroom } from '../../classroom/live/Classroom.js';
import type { Group } from '../../classroom/live/groups/Group.js';
import type { Participant } from '../../classroom/live/Participant.js';
import type { ParticipantState } from '../../classroom/live/participantState.js';
import type { Permission } from '../../classroom/permissions.js';
import type { RequestName, RequestPayload, RequestResults } from '../../protocol/index.js';

/** Everything a request handler may use: its classroom, the participant and their group, the socket's claims. */
export interface RequestContext<N extends RequestName> {
  classroom: Classroom;
  participant: Participant;
  /** The participant's group in the lesson (the main room or a breakout group). */
  readonly group: Group;
  payload: RequestPayload<N>;
  claims: JoinClaims;
  tokens: JoinTokens;
  /** `join` only: from now on this socket speaks for the participant it continued. */
  adopt(participant: Participant): void;
}

/**
 * One request of the protocol: the states in which it exists, the permission
 * it needs (null: anyone in those states; or how to find it from the
 * payload), an extra rate limit if it has one, and what it does. The request
 * pipeline enforces all of it before `run` is called, so handlers never
 * check state or permission themselves.
 */
export interface RequestSpec<N extends RequestName> {
  states: readonly ParticipantState[];
  permission: Permission | null | ((context: RequestContext<N>) => Permission | undefined);
  /** Messages people read cost more than protocol requests: chat and captions have their own, slower limits. */
  limit?: FeatureLimit;
  run(context: RequestContext<N>): Promise<RequestResults[N]> | RequestResults[N];
}

export type FeatureLimit = 'chat' | 'captions';

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

export const ok = { ok: true } as const;
