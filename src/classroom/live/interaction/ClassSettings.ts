import type { ClassroomSettingsUpdate } from '../../../protocol/index.js';
import { ConflictError } from '../../../shared/errors.js';
import type { Classroom } from '../../ClassroomService.js';
import { Permission, SOURCE_PERMISSION } from '../../permissions.js';
import type { ClassroomContext, ClassroomRecords } from '../ClassroomContext.js';
import type { Groups } from '../groups/Groups.js';
import type { Participant } from '../Participant.js';
import type { Views } from '../Views.js';

/**
 * The classroom's settings in a live class: the only writer of its classroom
 * record, and their enforcement on everyone in the lesson, in every group.
 */
export class ClassSettings {
  constructor(
    private readonly ctx: ClassroomContext,
    private readonly records: ClassroomRecords,
    private readonly groups: Groups,
    private readonly views: Views,
  ) {}

  /** Settings changed (here or through the HTTP API): take them in and enforce them on everyone. */
  async apply(changes: ClassroomSettingsUpdate): Promise<Classroom> {
    const { classrooms } = this.ctx.services;
    const before = this.records.classroom;
    const encryption = changes.endToEndEncryption ?? before.endToEndEncryption;
    if (this.ctx.lesson && encryption !== before.endToEndEncryption) {
      // Every page's media would have to change at once: the switch takes effect from the next lesson.
      throw new ConflictError('End-to-end encryption is switched between lessons', 'WRONG_STATE');
    }
    this.records.classroom = Object.keys(changes).length
      ? await classrooms.update(this.ctx.classroomId, changes)
      : await classrooms.get(this.ctx.classroomId);
    for (const participant of this.ctx.roster.inLesson()) await this.enforce(participant);
    if (before.lectureMode !== this.records.classroom.lectureMode) {
      for (const group of this.groups.all()) await group.feed.applyLectureMode();
    }
    this.views.broadcastState();
    return this.records.classroom;
  }

  /** Tells a participant what they may do now and stops what they may no longer send. */
  async enforce(participant: Participant): Promise<void> {
    const media = this.groups.of(participant)?.media;
    const granted = this.views.permissionsFor(participant);
    participant.emit('permissionsChanged', this.views.permissions(participant));
    if (media && !granted.has(Permission.UNMUTE)) await media.muteMic(participant);
    for (const source of ['camera', 'screen', 'screenAudio'] as const) {
      if (!granted.has(SOURCE_PERMISSION[source])) media?.stopSource(participant, source, 'permission');
    }
    this.views.participantUpdated(participant);
  }
}
