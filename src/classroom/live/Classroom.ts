import { EventEmitter } from 'node:events';
import type { ClassroomSettingsUpdate, JoinResult } from '../../protocol/index.js';
import { ServiceUnavailableError } from '../../shared/errors.js';
import type { Classroom as ClassroomRecord } from '../ClassroomService.js';
import type { EndReason } from '../LessonService.js';
import type { Permission } from '../permissions.js';
import {
  createClassroomContext,
  type ClassroomContext,
  type ClassroomRecords,
  type RoomServices,
} from './ClassroomContext.js';
import { Breakouts } from './groups/Breakouts.js';
import { Captioners } from './captions/Captioners.js';
import { Captions } from './captions/Captions.js';
import type { InteractionFeatures, MembershipFeatures } from './classroomFeatures.js';
import { createCollaboration, type CollaborationFeatures } from './collaboration.js';
import { Group } from './groups/Group.js';
import { createGroupContext, type GroupInfo } from './groups/GroupContext.js';
import { Groups } from './groups/Groups.js';
import { ClassSettings } from './interaction/ClassSettings.js';
import { Moderation } from './interaction/Moderation.js';
import { Polls } from './interaction/Polls.js';
import { LessonLifecycle } from './membership/LessonLifecycle.js';
import { Lobby } from './membership/Lobby.js';
import { Membership } from './membership/Membership.js';
import { Reconnection, type ResumeRequest } from './membership/Reconnection.js';
import { LessonRecording } from './recording/LessonRecording.js';
import { Participant, type ParticipantChannel, type ParticipantIdentity } from './Participant.js';
import type { StateChange } from './Roster.js';
import { Views } from './Views.js';

export type { RoomServices };
export type { InteractionFeatures, MembershipFeatures };

/** How long a move or a shutdown waits for the shared documents to be written. */
const DOCUMENT_FLUSH_MS = 2_000;

type ClassroomEvents = {
  /** Nobody is connected any more: the registry may drop the classroom. */
  vacant: [];
  /** The classroom closed; it accepts nobody any more. */
  closed: [];
};

/**
 * One classroom's live session in this process: the lesson, seats, settings,
 * removals, polls and breakout rooms, over groups (the main room and any
 * breakout groups) that each hold their own media, chat and hands. A
 * participant is one object for the whole lesson and moves between groups.
 * The features are grouped below; where their order matters (a state
 * change, the lesson's start and end) it is written out here.
 */
export class Classroom extends EventEmitter<ClassroomEvents> {
  readonly ctx: ClassroomContext;
  readonly membership: MembershipFeatures;
  readonly groups: Groups;
  readonly interaction: InteractionFeatures;
  readonly views: Views;
  readonly drawing: CollaborationFeatures['drawing'];
  readonly collab: CollaborationFeatures['collab'];
  readonly board: CollaborationFeatures['board'];
  readonly notes: CollaborationFeatures['notes'];
  readonly recording: LessonRecording;
  private closed = false;

  private constructor(records: ClassroomRecords, services: RoomServices) {
    super();
    const ctx = createClassroomContext(records, services);
    this.ctx = ctx;
    const groups = new Groups(ctx, (info) => this.createGroup(info));
    const lesson = new LessonLifecycle(ctx, records);
    const polls = new Polls(ctx, services.polls);
    const captioners = new Captioners(lesson);
    this.recording = new LessonRecording(ctx, groups);
    const views = new Views(ctx, groups, polls, captioners, this.recording);
    const membership = new Membership(ctx, lesson, groups, views);
    const settings = new ClassSettings(ctx, records, groups, views);
    this.groups = groups;
    this.views = views;
    this.membership = {
      roster: ctx.roster,
      lesson,
      membership,
      lobby: new Lobby(ctx, lesson, membership, views),
      reconnection: new Reconnection(ctx, membership, groups, views),
    };
    this.interaction = {
      polls,
      settings,
      moderation: new Moderation(ctx, lesson, membership, groups, settings, views),
      breakouts: new Breakouts(ctx, lesson, groups, membership, views),
      captions: new Captions(ctx, groups, views, captioners),
    };
    ({
      drawing: this.drawing,
      collab: this.collab,
      board: this.board,
      notes: this.notes,
    } = createCollaboration(ctx, groups, services));
    this.board.observeStage((view) => this.recording.stageChanged(view));
    ctx.roster.observe((change) => this.stateChanged(change));
  }

  static async create(classroomId: string, services: RoomServices): Promise<Classroom> {
    const classroom = await services.classrooms.get(classroomId);
    const lesson = await services.lessons.live(classroomId);
    const created = new Classroom({ classroom, lesson }, services);
    await created.interaction.polls.restore();
    await created.board.restore();
    await created.notes.restore();
    await created.recording.restore();
    return created;
  }

  get classroomId(): string {
    return this.ctx.classroomId;
  }

  get classroom(): Readonly<ClassroomRecord> {
    return this.ctx.classroom;
  }

  get lessonId(): string | undefined {
    return this.ctx.lesson?._id;
  }

  get participantCount(): number {
    return this.ctx.roster.inLessonCount;
  }

  get isVacant(): boolean {
    return this.ctx.roster.size === 0;
  }

  /** A connection for this classroom arrived; it may join, wait or just hold the classroom open. */
  attach(identity: ParticipantIdentity, channel: ParticipantChannel): Participant {
    if (this.closed)
      throw new ServiceUnavailableError('This classroom is closing, try again', 'ROOM_CLOSING');
    const participant = new Participant(identity, channel);
    this.ctx.roster.add(participant);
    return participant;
  }

  permissionsFor(participant: Participant): Set<Permission> {
    return this.views.permissionsFor(participant);
  }

  /**
   * A page joins: it continues as the participant it was, wherever in the
   * class (a resume), or enters through the join guards, and while groups are
   * open it may be placed in one. Answers who the page speaks for now.
   */
  async join(
    participant: Participant,
    resume?: ResumeRequest,
  ): Promise<{ participant: Participant; result: JoinResult }> {
    const { reconnection, membership } = this.membership;
    const { breakouts } = this.interaction;
    const resumed = resume ? await reconnection.resume(participant, resume) : undefined;
    if (resumed) {
      breakouts.greet(resumed.participant);
      return resumed;
    }
    const joined = await membership.join(participant);
    return { participant, result: await breakouts.placeOnJoin(participant, joined) };
  }

  /** Starts the lesson (or answers the running one); whoever waited for the start comes in. */
  startLesson(teacher: Participant): Promise<string> {
    const { lesson, lobby } = this.membership;
    return this.ctx.membershipQueue.run(async () => {
      if (await lesson.begin(teacher)) await lobby.lessonStarted();
      return lesson.require()._id;
    });
  }

  /**
   * Ends the lesson for everyone, in this order: the groups close with their
   * media; whoever was away leaves as of when they went; everyone else is
   * told and stays out of the next lesson until they choose to join it; the
   * lesson's poll closes.
   */
  endLesson(reason: EndReason): Promise<void> {
    const { roster, lesson, membership, reconnection } = this.membership;
    return this.ctx.membershipQueue.run(async () => {
      const ended = lesson.close();
      if (!ended) return;
      // The notes as the lesson left them: a snapshot (written behind the lesson's end, never in its way).
      void this.notes
        .lessonEnded(ended._id)
        .catch((error: unknown) =>
          this.ctx.logger.warn({ err: error }, 'endLesson() | notes snapshot not taken'),
        );
      await this.recording.end('lesson');
      this.interaction.breakouts.endLesson();
      this.groups.endLesson();
      for (const participant of roster.inState('away')) {
        const at = new Date(reconnection.awaySince(participant) ?? Date.now());
        await membership.exit(participant, { reason: 'gone', at });
      }
      reconnection.clear();
      membership.forgetAttendance();
      const told = [...roster.joined(), ...roster.inState('lobby')];
      for (const participant of told) roster.transition(participant, 'connected');
      await lesson.recordEnd(ended, reason);
      for (const participant of told) participant.emit('lesson:ended', { reason });
      this.interaction.polls.endLesson();
      this.interaction.captions.endLesson();
    });
  }

  /** The school switched Aula off: a running lesson ends for everyone in it, and says why. */
  async endIfSwitchedOff(): Promise<void> {
    if (!this.ctx.lesson || (await this.ctx.services.isActive(this.ctx.classroom))) return;
    this.ctx.logger.info('endIfSwitchedOff() | Aula switched off for this school, lesson ended');
    await this.endLesson('admin');
  }

  /** Another process (or the idle sweeper) ended the lesson: reflect it here. */
  async endedElsewhere(lessonId: string): Promise<void> {
    if (this.ctx.lesson?._id === lessonId) await this.endLesson('idle');
  }

  /** Seats, attendance and lesson activity renewed once for the whole class. */
  heartbeat(): void {
    this.membership.lesson.heartbeat(this.membership.membership.connectedIntervals());
  }

  /** New settings for the class: taken in and enforced on everyone, in every group. */
  applySettings(changes: ClassroomSettingsUpdate): Promise<ClassroomRecord> {
    return this.interaction.settings.apply(changes);
  }

  /** Shutdown: everyone leaves as on a disconnect (seats wait out the grace period), then the classroom closes. */
  async closeGracefully(): Promise<void> {
    // Shared documents first: the node that takes the classroom over loads what is written.
    await this.collab.flush(DOCUMENT_FLUSH_MS);
    await this.recording.end('moved');
    await this.membership.membership.closeAll();
    this.close();
  }

  /**
   * Another node serves the classroom from now on (or, without `nodeId`, the
   * next one to take it): every page is told to reconnect, to that node, and
   * the classroom closes as on a shutdown (attendance closes now, seats wait
   * out the grace period for the pages to arrive).
   */
  async moveTo(nodeId: string | undefined): Promise<void> {
    // The recorder's files close while the pages still send: ffmpeg finishes a file (its duration
    // and index) at the next packet it reads, and once the pages have gone no packet comes.
    await this.recording.end('moved');
    for (const participant of this.ctx.roster.all()) {
      participant.emit('server:restarting', nodeId ? { node: nodeId } : {});
    }
    await this.closeGracefully();
  }

  /** Closes the media and disconnects every socket still attached. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.membership.reconnection.clear();
    this.interaction.breakouts.endLesson();
    this.groups.endLesson();
    for (const participant of this.ctx.roster.all()) participant.channel.disconnect('room closed');
    this.collab.dispose();
    this.emit('closed');
    this.ctx.logger.info('close() | room closed');
  }

  /**
   * Every state change, passed on in this order: the participant's group
   * (someone dropping or coming back changes the layers everyone gets), the
   * reconnection (nobody waits for someone gone), the waiting room (a seat
   * taken or freed, someone waiting or gone), and the registry.
   */
  private stateChanged({ participant, from, to }: StateChange): void {
    const group = this.groups.of(participant);
    if (group && (from === 'joined' || to === 'joined')) group.memberStateChanged();
    if (to === 'left' || to === 'removed') this.membership.reconnection.forget(participant);
    if (from === 'joined' && to !== 'away') this.interaction.captions.forget(participant);
    // Shared documents are open in the lesson, and the notes also while waiting for it.
    const present = (state: typeof from) => state === 'joined' || state === 'lobby';
    if (present(from) && !present(to)) this.collab.leave(participant);
    else if (from !== to && present(to)) this.collab.refreshAccess();
    this.membership.lobby.stateChanged(from, to);
    if (to === 'left' && this.ctx.roster.size === 0) this.emit('vacant');
  }

  /** A group with what pages see of it wired to the views: sources, hands, a recovered worker. */
  private createGroup(info: GroupInfo | null): Group {
    const group = new Group(createGroupContext(this.ctx, info));
    group.media.on('sourcesChanged', (owner) => {
      this.views.participantUpdated(owner);
      this.recording.sourcesChanged(owner);
    });
    group.media.on('recovered', () => this.views.broadcastState(group));
    group.hands.on('changed', (participant) => this.views.participantUpdated(participant));
    return group;
  }
}
