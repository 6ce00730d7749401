// What pages see: the views the server sends in results and events.
import { z } from 'zod';
import type { MediaSetup, MediaSourceName } from './media.js';
import type { RecordingView } from './recording.js';
import type { StudentPermissions } from './studentPermissions.js';

export const pollKind = z.enum(['single', 'multiple', 'yesNo', 'scale']);
export type PollKind = z.infer<typeof pollKind>;

export type Role = 'teacher' | 'student' | 'guest';

/** `caption`: may type live captions (teachers, and whom a teacher made a captioner). */
export type Permissions = StudentPermissions & { raiseHand: boolean; moderate: boolean; caption: boolean };

export interface ParticipantInfo {
  id: string;
  displayName: string;
  role: Role;
  handRaisedAt: number | null;
  hasFloor: boolean;
  /** The connection dropped; the participant keeps their place while the page comes back. */
  away: boolean;
  /** Sources this participant currently sends, and whether each is paused (muted). */
  sources: Partial<Record<MediaSourceName, { producerId: string; paused: boolean }>>;
}

export interface LobbyEntry {
  id: string;
  displayName: string;
  role: Role;
  waitingSince: number;
  /** Place in the queue, 1 for the next one in. */
  position: number;
}

/** Seats of the running lesson: the cap, and how many people hold one. */
export interface SeatCount {
  cap: number;
  taken: number;
}

/** What someone in the lobby is told about their wait. */
export interface WaitingStatus {
  reason: 'not-started' | 'waiting-room';
  /** Place in the queue, 1 for the next one in. */
  position: number;
  /** Every seat is taken: they get in when one frees. */
  full: boolean;
}

export interface ChatMessage {
  id: string;
  from: { id: string; displayName: string };
  /** Set for private messages: the recipient. */
  to?: { id: string; displayName: string };
  text: string;
  sentAt: number;
}

export interface RoomState {
  classroomId: string;
  title: string;
  lesson: { id: string; startedAt: number; locked: boolean } | null;
  lectureMode: boolean;
  lobbyEnabled: boolean;
  /** The lesson is end-to-end encrypted: pages encrypt all media; recording and captions are unavailable. */
  endToEndEncryption: boolean;
  seatCap: number;
  spotlightId: string | null;
  pinnedId: string | null;
  activeSpeakerId: string | null;
  participants: ParticipantInfo[];
  handQueue: string[];
  /** Teachers only: who waits in the lobby. */
  lobby: LobbyEntry[];
  seats: SeatCount;
  /** The teacher's switch: waiting students (never guests) come in by themselves as seats free. */
  autoAdmit: boolean;
  /** The lesson's current (or last closed) poll, and its results when this viewer may see them. */
  poll: PollView | null;
  pollResults: PollResults | null;
  /** The lesson's recording; while one runs, pages show the indicator and the recorder in the participant list. */
  recording: RecordingView;
}

/** A poll as a page shows it; `options` are keys (`yes`, `no`, `abstain`; `1`…`5`) for the fixed kinds. */
export interface PollView {
  id: string;
  question: string;
  kind: PollKind;
  options: string[];
  anonymous: boolean;
  guestsMayAnswer: boolean;
  startedAt: number;
  endsAt: number | null;
  closed: boolean;
  /** The teacher shows the results to everyone. */
  shared: boolean;
  /** This viewer's answer, if any. */
  mine: number[] | null;
}

/** Counts per option; `voters` (who chose what) only for teachers, only in named polls. */
export interface PollResults {
  pollId: string;
  answered: number;
  counts: number[];
  voters?: Array<{ name: string; choices: number[] }>;
}

export interface BreakoutState {
  open: boolean;
  assignment: 'auto' | 'manual' | 'choose';
  endsAt: number | null;
  /** Everyone returns to the main room at this time. */
  closingAt: number | null;
  groups: Array<{
    id: string;
    name: string;
    members: Array<{ id: string; displayName: string; role: Role }>;
  }>;
  /** The viewer's group; null in the main room. */
  myGroup: string | null;
}

export type JoinResult =
  | ({ status: 'lobby'; self: ParticipantInfo; classroomTitle: string } & WaitingStatus)
  | {
      status: 'joined';
      self: ParticipantInfo;
      /** Sent back in `join` after a dropped connection, to continue as this participant. */
      resumeKey: string;
      /** Set when the page continued an earlier connection. */
      resumed?: {
        /** The transports, producers and consumers the page had still live on the server. */
        keptMedia: boolean;
        /** The consumers the page should have; it drops any other it still holds. */
        consumerIds: string[];
      };
      permissions: Permissions;
      room: RoomState;
      media: MediaSetup;
      chat: ChatMessage[];
    };
