import fs from 'node:fs/promises';
import type { ConsentChoice, RecordingSummary } from '../protocol/index.js';
import { randomId } from '../shared/ids.js';
import type { Models } from '../store/models/index.js';
import type {
  RecordingConsentRecord,
  RecordingEventRecord,
  RecordingRecord,
  RecordingSegmentRecord,
} from '../store/models/recordingModels.js';
import type { RecordingFiles } from './RecordingFiles.js';

export type Recording = RecordingRecord & { _id: string };
export type RecordingSegment = RecordingSegmentRecord & { _id: string };
export type RecordingEvent = RecordingEventRecord & { _id: string };

export interface NewSegment {
  recordingId: string;
  userKey: string;
  participantId: string;
  role: string;
  source: RecordingSegmentRecord['source'];
  kind: RecordingSegmentRecord['kind'];
}

export interface ConsentAnswer {
  recordingId: string;
  classroomId: string;
  userKey: string;
  displayName: string;
  role: string;
  choice: ConsentChoice;
  textVersion: string;
}

/**
 * The only owner of the recordings, their segments, events and consent
 * answers, and of the segments' files: retention and a user's erasure
 * delete records and files together.
 */
export class RecordingStore {
  constructor(
    private readonly models: Models,
    readonly files: RecordingFiles,
    private readonly retentionMs: number,
  ) {}

  async create(input: { classroomId: string; lessonId: string; startedBy: string }): Promise<Recording> {
    const now = new Date();
    const created = await this.models.recordings.create({
      _id: randomId(12),
      ...input,
      startedAt: now,
      expiresAt: new Date(now.getTime() + this.retentionMs),
    });
    return created.toObject() as Recording;
  }

  async end(recordingId: string, reason: string): Promise<void> {
    await this.models.recordings.updateOne(
      { _id: recordingId, endedAt: null },
      { $set: { endedAt: new Date(), endReason: reason } },
    );
  }

  /** A recording of the lesson that a node stopped serving (drain, restart): it goes on where the class is now. */
  async resumable(lessonId: string): Promise<Recording | undefined> {
    const found = await this.models.recordings
      .findOne({ lessonId, $or: [{ endedAt: null }, { endReason: 'moved' }] })
      .sort({ startedAt: -1 })
      .lean();
    return (found as Recording | null) ?? undefined;
  }

  async reopen(recordingId: string): Promise<void> {
    await this.models.recordings.updateOne(
      { _id: recordingId },
      { $set: { endedAt: null, endReason: null } },
    );
  }

  async get(recordingId: string): Promise<Recording | undefined> {
    return ((await this.models.recordings.findById(recordingId).lean()) as Recording | null) ?? undefined;
  }

  async listForClassroom(classroomId: string, onlyPublished: boolean): Promise<Recording[]> {
    const filter = onlyPublished ? { classroomId, published: true } : { classroomId };
    return (await this.models.recordings.find(filter).sort({ startedAt: -1 }).lean()) as Recording[];
  }

  async publish(recordingId: string, published: boolean, downloadable: boolean): Promise<void> {
    await this.models.recordings.updateOne({ _id: recordingId }, { $set: { published, downloadable } });
  }

  async addSegment(segment: NewSegment): Promise<RecordingSegment> {
    const id = randomId(12);
    const created = await this.models.recordingSegments.create({ _id: id, ...segment, file: `${id}.webm` });
    return created.toObject() as RecordingSegment;
  }

  async closeSegment(
    segmentId: string,
    result: { startedAt: number | null; endedAt: number; bytes: number; outcome: string },
  ): Promise<void> {
    await this.models.recordingSegments.updateOne(
      { _id: segmentId },
      {
        $set: {
          startedAt: result.startedAt === null ? null : new Date(result.startedAt),
          endedAt: new Date(result.endedAt),
          bytes: result.bytes,
          outcome: result.outcome,
        },
      },
    );
  }

  /**
   * Segments a node left open when it died (kill -9, a lost machine): its
   * ffmpeg wrote each packet as it came, so the file holds the media up to
   * its last write. Each is closed as `lost` at that time with what is on
   * disk, and the manifest notes a gap from there. Answers how many.
   */
  async closeOrphanedSegments(recordingId: string): Promise<number> {
    const open = (await this.models.recordingSegments
      .find({ recordingId, endedAt: null })
      .lean()) as RecordingSegment[];
    for (const segment of open) {
      const file = await this.files.readable(recordingId, segment.file);
      const stat = file ? await fs.stat(file).catch(() => undefined) : undefined;
      const endedAt = stat?.mtime ?? new Date();
      // The file's birth is its first media, where the file system keeps it (0 where it does not).
      const startedAt = stat && stat.birthtimeMs > 0 && stat.birthtime <= endedAt ? stat.birthtime : null;
      await this.models.recordingSegments.updateOne(
        { _id: segment._id, endedAt: null },
        { $set: { startedAt, endedAt, bytes: stat?.size ?? 0, outcome: 'lost' } },
      );
      await this.addEvent(recordingId, 'gap', {
        participantId: segment.participantId,
        source: segment.source,
        from: endedAt.getTime(),
      });
    }
    return open.length;
  }

  async segments(recordingId: string): Promise<RecordingSegment[]> {
    return (await this.models.recordingSegments.find({ recordingId }).lean()) as RecordingSegment[];
  }

  async addEvent(recordingId: string, type: 'stage' | 'gap', data: Record<string, unknown>): Promise<void> {
    await this.models.recordingEvents.create({ _id: randomId(12), recordingId, at: new Date(), type, data });
  }

  async events(recordingId: string): Promise<RecordingEvent[]> {
    return (await this.models.recordingEvents
      .find({ recordingId })
      .sort({ at: 1 })
      .lean()) as RecordingEvent[];
  }

  /** Appends an answer; the latest answer per person is what counts. */
  async addConsent(answer: ConsentAnswer): Promise<void> {
    await this.models.recordingConsents.create({ _id: randomId(12), ...answer, at: new Date() });
  }

  /** Every answer of a recording, oldest first. */
  async consents(recordingId: string): Promise<RecordingConsentRecord[]> {
    return (await this.models.recordingConsents
      .find({ recordingId })
      .sort({ at: 1 })
      .lean()) as RecordingConsentRecord[];
  }

  /** Recordings past their retention: their files, segments, events and consent answers. */
  async deleteExpired(now: Date): Promise<number> {
    const expired = await this.models.recordings.find({ expiresAt: { $lt: now } }, { _id: 1 }).lean();
    for (const { _id } of expired) await this.remove(_id);
    return expired.length;
  }

  async remove(recordingId: string): Promise<void> {
    await this.files.removeAll(recordingId);
    await this.models.recordingSegments.deleteMany({ recordingId });
    await this.models.recordingEvents.deleteMany({ recordingId });
    await this.models.recordingConsents.deleteMany({ recordingId });
    await this.models.recordings.deleteOne({ _id: recordingId });
  }

  /** A user's erasure: their segments (files too) and their consent answers. */
  async eraseUser(userKey: string): Promise<number> {
    const segments = (await this.models.recordingSegments.find({ userKey }).lean()) as RecordingSegment[];
    for (const segment of segments) await this.files.remove(segment.recordingId, segment.file);
    const removed = await this.models.recordingSegments.deleteMany({ userKey });
    const consents = await this.models.recordingConsents.deleteMany({ userKey });
    return removed.deletedCount + consents.deletedCount;
  }

  summary(recording: Recording): RecordingSummary {
    return {
      id: recording._id,
      lessonId: recording.lessonId,
      startedAt: recording.startedAt.toISOString(),
      endedAt: recording.endedAt ? recording.endedAt.toISOString() : null,
      published: recording.published,
      downloadable: recording.downloadable,
      expiresAt: recording.expiresAt.toISOString(),
    };
  }
}
