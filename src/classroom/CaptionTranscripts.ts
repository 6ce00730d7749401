import type { CaptionLine } from '../protocol/index.js';
import type { Models } from '../store/models/index.js';
import type { WriteBehind } from '../store/WriteBehind.js';

/** A kept caption line as the teacher downloads it. */
export interface TranscriptLine {
  at: Date;
  groupId: string | null;
  source: CaptionLine['source'];
  speakerName: string | null;
  text: string;
}

/**
 * Transcripts of lessons whose teacher chose to keep one: classroom data
 * with a retention (AULA_RETENTION_CAPTIONS_DAYS), erased per user. Only
 * final lines are kept; without the teacher's choice nothing is written.
 */
export class CaptionTranscripts {
  constructor(
    private readonly models: Models,
    private readonly writes: WriteBehind,
    private readonly retentionMs: number,
  ) {}

  /** Keeps one line; the lesson goes on while the write waits out a database outage. */
  append(
    where: { classroomId: string; lessonId: string; groupId: string | null },
    line: CaptionLine,
    speakerUserKey: string | null,
  ): void {
    const at = new Date(line.at);
    this.writes.enqueue('captions.append', () =>
      this.models.captionLines.create({
        _id: line.id,
        ...where,
        source: line.source,
        speakerUserKey,
        speakerName: line.speaker?.displayName ?? null,
        text: line.text,
        at,
        expiresAt: new Date(at.getTime() + this.retentionMs),
      }),
    );
  }

  /** A lesson's transcript, oldest line first (of its classroom only). */
  async lesson(classroomId: string, lessonId: string): Promise<TranscriptLine[]> {
    const records = await this.models.captionLines.find({ classroomId, lessonId }).sort({ at: 1 }).lean();
    return records.map((record) => ({
      at: record.at,
      groupId: record.groupId ?? null,
      source: record.source,
      speakerName: record.speakerName ?? null,
      text: record.text,
    }));
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.captionLines.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Lines a user said or typed. */
  async eraseUser(userKey: string): Promise<number> {
    return (await this.models.captionLines.deleteMany({ speakerUserKey: userKey })).deletedCount;
  }
}
