import type { LobbyEntry, SeatCount, WaitingStatus } from '../../../protocol/index.js';
import type { Participant } from '../Participant.js';
import type { Roster } from '../Roster.js';

/** Students and guests waiting, first come first: the order they are admitted in. */
export function waitingQueue(roster: Roster): Participant[] {
  return roster
    .inState('lobby')
    .filter((participant) => !participant.isTeacher)
    .sort((a, b) => a.waitingSince - b.waitingSince);
}

/** Who holds a seat among `present`: each student or guest once (two tabs share one); teachers need none. */
export function seatHolders(present: Participant[]): Set<string> {
  return new Set(present.filter((p) => !p.isTeacher).map((p) => p.userKey));
}

export function lobbyEntries(queue: Participant[]): LobbyEntry[] {
  return queue.map((participant, index) => ({
    id: participant.id,
    displayName: participant.displayName,
    role: participant.role,
    waitingSince: participant.waitingSince,
    position: index + 1,
  }));
}

export function waitingStatus(
  participant: Participant,
  queue: Participant[],
  seats: SeatCount,
): WaitingStatus {
  const index = queue.indexOf(participant);
  return {
    reason: participant.lobbyReason ?? 'not-started',
    position: index < 0 ? 1 : index + 1,
    full: participant.lobbyReason === 'waiting-room' && seats.taken >= seats.cap,
  };
}
