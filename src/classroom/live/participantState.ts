/**
 * Where a participant (one browser tab) stands in a room. Each state allows
 * its own requests (the signalling handlers declare which), and only the
 * roster moves a participant from one state to the next.
 *
 * - `connected`: the socket is attached; the page shows its pre-join screen,
 *   or "the lesson has ended" (it joins again only when the person chooses to).
 * - `lobby`: waiting for the lesson to start or for a teacher to admit them.
 * - `joined`: in the lesson, with a seat, attendance and media.
 * - `away`: joined, but the connection dropped; seat, hand, attendance and
 *   media wait for the page to come back within the grace period.
 * - `removed`: a teacher removed them, or they tried to come back after that.
 * - `left`: gone (left, denied, disconnected, or the room closed).
 */
export type ParticipantState = 'connected' | 'lobby' | 'joined' | 'away' | 'removed' | 'left';

/** Why someone waits: the lesson has not started, or the waiting room holds them until admitted. */
export type LobbyReason = 'not-started' | 'waiting-room';

const NEXT: Record<ParticipantState, readonly ParticipantState[]> = {
  connected: ['lobby', 'joined', 'removed', 'left'],
  // lobby → lobby: the reason changed (a lesson started while waiting).
  // lobby, joined → connected: the lesson ended; nobody is pulled into the next one unasked.
  lobby: ['lobby', 'joined', 'connected', 'removed', 'left'],
  joined: ['connected', 'away', 'removed', 'left'],
  away: ['joined', 'removed', 'left'],
  removed: ['left'],
  left: [],
};

export function canMove(from: ParticipantState, to: ParticipantState): boolean {
  return NEXT[from].includes(to);
}

/** In the lesson, whether connected right now or coming back. */
export function inLesson(state: ParticipantState): boolean {
  return state === 'joined' || state === 'away';
}

/** Present in the class in some way (in the lesson, away from it for now, or waiting): what a removal reaches. */
export function inClass(state: ParticipantState): boolean {
  return inLesson(state) || state === 'lobby';
}

/** Only the roster calls this; everyone else reads `participant.state`. */
export const moveTo = Symbol('moveTo');
/** Only the roster calls this: a page that came back on a new connection. */
export const takeChannel = Symbol('takeChannel');
