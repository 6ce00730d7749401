import type {
  JoinResult,
  LobbyEntry,
  ParticipantInfo,
  Permissions,
  RoomState,
  SeatCount,
  WaitingStatus,
} from '../../protocol/index.js';
import type { ParticipantMedia } from '../../media/ParticipantMedia.js';
import { Permission, permissionsOf } from '../permissions.js';
import type { Captioners } from './captions/Captioners.js';
import type { ClassroomContext } from './ClassroomContext.js';
import type { Group } from './groups/Group.js';
import type { Groups } from './groups/Groups.js';
import type { Polls } from './interaction/Polls.js';
import { lobbyEntries, seatHolders, waitingQueue, waitingStatus } from './membership/waitingRoom.js';
import type { Participant } from './Participant.js';
import type { LessonRecording } from './recording/LessonRecording.js';

/** What a participant sends, as pages show it: each source's producer, and whether it is paused. */
function sourcesOf(media: ParticipantMedia | undefined): ParticipantInfo['sources'] {
  const sources: ParticipantInfo['sources'] = {};
  for (const [source, producer] of media?.producers() ?? []) {
    sources[source] = { producerId: producer.id, paused: producer.paused };
  }
  return sources;
}

export function permissionsView(granted: Set<Permission>): Permissions {
  return {
    unmute: granted.has(Permission.UNMUTE),
    camera: granted.has(Permission.CAMERA),
    screenShare: granted.has(Permission.SHARE_SCREEN),
    chatPublic: granted.has(Permission.CHAT_PUBLIC),
    chatPrivate: granted.has(Permission.CHAT_PRIVATE),
    raiseHand: granted.has(Permission.RAISE_HAND),
    moderate: granted.has(Permission.MODERATE),
    caption: granted.has(Permission.CAPTION),
  };
}

/**
 * What pages see of the class, composed from the features that know it: a
 * participant as others see them (hand and floor from their group's hands,
 * sources from its media), the state of a viewer's group, the waiting room
 * for teachers, and what each may do.
 */
export class Views {
  constructor(
    private readonly ctx: ClassroomContext,
    private readonly groups: Groups,
    private readonly polls: Polls,
    private readonly captioners: Captioners,
    private readonly recording: Pick<LessonRecording, 'view'>,
  ) {}

  info(participant: Participant): ParticipantInfo {
    const group = this.groups.of(participant);
    return {
      id: participant.id,
      displayName: participant.displayName,
      role: participant.role,
      handRaisedAt: group?.hands.raisedAtOf(participant) ?? null,
      hasFloor: group?.hands.hasFloor(participant) ?? false,
      away: participant.state === 'away',
      sources: sourcesOf(group?.media.find(participant)),
    };
  }

  /** What a participant may do now: their role, the classroom's student permissions, the floor, captioning. */
  permissionsFor(participant: Participant): Set<Permission> {
    const hasFloor = this.groups.of(participant)?.hands.hasFloor(participant) ?? false;
    const captioner = this.captioners.isCaptioner(participant);
    return permissionsOf(participant, this.ctx.classroom.studentPermissions, { hasFloor, captioner });
  }

  permissions(participant: Participant): Permissions {
    return permissionsView(this.permissionsFor(participant));
  }

  /** The viewer's group as their page shows it. */
  state(viewer: Participant): RoomState {
    const { classroom, lesson } = this.ctx;
    const group = this.groups.of(viewer) ?? this.groups.main;
    return {
      classroomId: this.ctx.classroomId,
      title: classroom.title,
      lesson: lesson
        ? { id: lesson._id, startedAt: lesson.startedAt.getTime(), locked: lesson.locked }
        : null,
      lectureMode: classroom.lectureMode,
      lobbyEnabled: classroom.lobbyEnabled,
      endToEndEncryption: classroom.endToEndEncryption,
      seatCap: classroom.seatCap,
      spotlightId: group.spotlight.spotlightId(),
      pinnedId: group.spotlight.pinned,
      activeSpeakerId: group.spotlight.activeSpeaker,
      participants: group.members.inLesson().map((participant) => this.info(participant)),
      handQueue: group.hands.queue(),
      lobby: viewer.isTeacher ? this.lobby() : [],
      seats: this.seats(),
      autoAdmit: lesson?.autoAdmit ?? false,
      ...this.polls.viewFor(viewer),
      recording: this.recording.view(viewer),
    };
  }

  lobby(): LobbyEntry[] {
    return lobbyEntries(waitingQueue(this.ctx.roster));
  }

  /** Seats belong to the class: a student in a breakout group holds one too. */
  seats(): SeatCount {
    return { cap: this.ctx.classroom.seatCap, taken: seatHolders(this.ctx.roster.inLesson()).size };
  }

  waitingStatus(participant: Participant): WaitingStatus {
    return waitingStatus(participant, waitingQueue(this.ctx.roster), this.seats());
  }

  lobbyResult(participant: Participant): JoinResult {
    return {
      status: 'lobby',
      self: this.info(participant),
      classroomTitle: this.ctx.classroom.title,
      ...this.waitingStatus(participant),
    };
  }

  /** Settings, lock or spotlight changed: every page (of one group, or of the class) gets its state. */
  broadcastState(group?: Group): void {
    for (const each of group ? [group] : this.groups.all()) {
      for (const participant of each.members.joined())
        participant.emit('roomUpdated', this.state(participant));
    }
  }

  /** Only about someone in the lesson: a leaver's closing media must not bring them back on pages. */
  participantUpdated(participant: Participant): void {
    this.groups.of(participant)?.members.broadcast('participantUpdated', this.info(participant));
  }
}
