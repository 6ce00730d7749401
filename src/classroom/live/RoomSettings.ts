import type { ClassroomSettingsUpdate } from '../../protocol/index.js';
import type { Classroom } from '../ClassroomService.js';
import { Permission, SOURCE_PERMISSION } from '../permissions.js';
import type { ConsumerFeed } from './ConsumerFeed.js';
import type { MediaSession } from './MediaSession.js';
import type { Participant } from './Participant.js';
import type { RoomContext, RoomRecords } from './RoomContext.js';
import type { RoomViews } from './RoomViews.js';

/** The classroom's settings in a live room: the only writer of the room's classroom record. */
export class RoomSettings {
  constructor(
    private readonly ctx: RoomContext,
    private readonly records: RoomRecords,
    private readonly media: MediaSession,
    private readonly feed: ConsumerFeed,
    private readonly views: RoomViews,
  ) {}

  /** Settings changed (here or through the HTTP API): take them in and enforce them on everyone. */
  async apply(changes: ClassroomSettingsUpdate): Promise<void> {
    const { classrooms } = this.ctx.services;
    const before = this.records.classroom;
    this.records.classroom = Object.keys(changes).length
      ? await classrooms.update(this.ctx.classroomId, changes)
      : await classrooms.get(this.ctx.classroomId);
    await this.enforceAll(before);
  }

  /** The classroom's settings changed from `before` (here, or in the class's main room): enforce them here. */
  async enforceAll(before: Classroom): Promise<void> {
    for (const participant of this.ctx.roster.inLesson()) await this.enforce(participant);
    if (before.lectureMode !== this.records.classroom.lectureMode) await this.feed.applyLectureMode();
    this.views.broadcastState();
  }

  /** Tells a participant what they may do now and stops what they may no longer send. */
  async enforce(participant: Participant): Promise<void> {
    const granted = this.ctx.permissionsFor(participant);
    participant.emit('permissionsChanged', this.views.permissions(participant));
    const mic = participant.media?.producers.get('mic');
    if (mic && !mic.paused && !granted.has(Permission.UNMUTE)) {
      await mic.pause();
      participant.emit('mod:muted', { source: 'mic' });
    }
    for (const source of ['camera', 'screen', 'screenAudio'] as const) {
      if (!granted.has(SOURCE_PERMISSION[source])) this.media.stopSource(participant, source, 'permission');
    }
    this.views.participantUpdated(participant);
  }
}
