import type { RoomState } from '@protocol';

/** Where this page is in the lesson, from connecting to one of its outcomes. */
export type Phase =
  | 'connecting'
  | 'prejoin'
  | 'joining'
  | 'lobby'
  | 'joined'
  | 'ended'
  | 'removed'
  | 'denied'
  | 'switchedOff'
  | 'failed';

/** Where a lesson ends for a page: each has a page of its own, and nothing of the room stays. */
export const OUTCOMES = ['ended', 'removed', 'denied', 'switchedOff'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const isOutcome = (phase: Phase): phase is Outcome => (OUTCOMES as readonly Phase[]).includes(phase);

/** The room itself; who is in it is the participants store's. */
export type RoomInfo = Pick<
  RoomState,
  'classroomId' | 'title' | 'lesson' | 'lectureMode' | 'lobbyEnabled' | 'seatCap' | 'endToEndEncryption'
>;

export const roomInfo = (state: RoomState): RoomInfo => ({
  classroomId: state.classroomId,
  title: state.title,
  lesson: state.lesson,
  lectureMode: state.lectureMode,
  lobbyEnabled: state.lobbyEnabled,
  seatCap: state.seatCap,
  endToEndEncryption: state.endToEndEncryption,
});
