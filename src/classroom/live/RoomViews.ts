import type {
  JoinResult,
  LobbyEntry,
  Permissions,
  RoomState,
  SeatCount,
  WaitingStatus,
} from '../../protocol/index.js';
import { Permission } from '../permissions.js';
import type { Hands } from './Hands.js';
import type { Participant } from './Participant.js';
import type { Polls } from './Polls.js';
import type { RoomContext } from './RoomContext.js';
import type { Spotlight } from './Spotlight.js';
import { lobbyEntries, seatHolders, waitingQueue, waitingStatus } from './waitingRoom.js';

export function permissionsView(granted: Set<Permission>): Permissions {
  return {
    unmute: granted.has(Permission.UNMUTE),
    camera: granted.has(Permission.CAMERA),
    screenShare: granted.has(Permission.SHARE_SCREEN),
    chatPublic: granted.has(Permission.CHAT_PUBLIC),
    chatPrivate: granted.has(Permission.CHAT_PRIVATE),
    raiseHand: granted.has(Permission.RAISE_HAND),
    moderate: granted.has(Permission.MODERATE),
  };
}

/** What pages see of the room: its state for one viewer, and the lobby for teachers. */
export class RoomViews {
  constructor(
    private readonly ctx: RoomContext,
    private readonly spotlight: Spotlight,
    private readonly hands: Hands,
    private readonly polls: Polls,
    /** Everyone in the lesson across the class: this room and, while they are open, its breakout rooms. */
    private readonly inClassLesson: () => Participant[],
  ) {}

  state(viewer: Participant): RoomState {
    const { classroom, lesson, roster } = this.ctx;
    return {
      classroomId: this.ctx.classroomId,
      title: classroom.title,
      lesson: lesson
        ? { id: lesson._id, startedAt: lesson.startedAt.getTime(), locked: lesson.locked }
        : null,
      lectureMode: classroom.lectureMode,
      lobbyEnabled: classroom.lobbyEnabled,
      seatCap: classroom.seatCap,
      spotlightId: this.spotlight.spotlightId(),
      pinnedId: this.spotlight.pinned,
      activeSpeakerId: this.spotlight.activeSpeaker,
      participants: roster.inLesson().map((participant) => participant.info()),
      handQueue: this.hands.queue(),
      lobby: viewer.isTeacher ? this.lobby() : [],
      seats: this.seats(),
      autoAdmit: lesson?.autoAdmit ?? false,
      ...this.polls.viewFor(viewer),
    };
  }

  lobby(): LobbyEntry[] {
    return lobbyEntries(waitingQueue(this.ctx.roster));
  }

  seats(): SeatCount {
    // Seats belong to the class: a student in a breakout room holds one too.
    return { cap: this.ctx.classroom.seatCap, taken: seatHolders(this.inClassLesson()).size };
  }

  waitingStatus(participant: Participant): WaitingStatus {
    return waitingStatus(participant, waitingQueue(this.ctx.roster), this.seats());
  }

  lobbyResult(participant: Participant): JoinResult {
    return {
      status: 'lobby',
      self: participant.info(),
      classroomTitle: this.ctx.classroom.title,
      ...this.waitingStatus(participant),
    };
  }

  permissions(participant: Participant): Permissions {
    return permissionsView(this.ctx.permissionsFor(participant));
  }

  /** Settings, lock or spotlight changed: every page gets the new room state. */
  broadcastState(): void {
    for (const participant of this.ctx.roster.joined())
      participant.emit('roomUpdated', this.state(participant));
  }

  /** Only about someone in the lesson: a leaver's closing media must not bring them back on pages. */
  participantUpdated(participant: Participant): void {
    if (!this.ctx.roster.isInLesson(participant.id)) return;
    this.ctx.roster.broadcast('participantUpdated', participant.info());
  }
}
