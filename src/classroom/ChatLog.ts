import { randomId } from '../shared/ids.js';
import type { Models } from '../store/models/index.js';
import type { WriteBehind } from '../store/WriteBehind.js';

export interface StoredChatMessage {
  id: string;
  fromUserKey: string;
  fromName: string;
  toUserKey?: string;
  /** The recipient's name when it was sent: they may have left by the time history is read. */
  toName?: string;
  text: string;
  sentAt: Date;
}

/** Chat of a lesson, kept for the retention period so a reconnecting participant sees the history. */
export class ChatLog {
  constructor(
    private readonly models: Models,
    private readonly writes: WriteBehind,
    private readonly retentionMs: number,
  ) {}

  /**
   * Keeps a message for the history. The room delivers it at once; the write
   * waits out a database outage instead of telling the sender it failed.
   */
  append(
    classroomId: string,
    lessonId: string,
    message: { fromUserKey: string; fromName: string; toUserKey?: string; toName?: string; text: string },
  ): StoredChatMessage {
    const sentAt = new Date();
    const stored = { id: randomId(), ...message, sentAt };
    this.writes.enqueue('chat.append', () =>
      this.models.chatMessages.create({
        _id: stored.id,
        classroomId,
        lessonId,
        ...message,
        sentAt,
        expiresAt: new Date(sentAt.getTime() + this.retentionMs),
      }),
    );
    return stored;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.chatMessages.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Messages a user sent or received. */
  async eraseUser(userKey: string): Promise<number> {
    return (
      await this.models.chatMessages.deleteMany({ $or: [{ fromUserKey: userKey }, { toUserKey: userKey }] })
    ).deletedCount;
  }

  /** Public messages and the private ones this user sent or received, oldest first. */
  async history(lessonId: string, userKey: string, limit = 200): Promise<StoredChatMessage[]> {
    const records = await this.models.chatMessages
      .find({
        lessonId,
        $or: [{ toUserKey: { $exists: false } }, { toUserKey: userKey }, { fromUserKey: userKey }],
      })
      .sort({ sentAt: -1 })
      .limit(limit)
      .lean();
    return records.reverse().map((record) => ({
      id: record._id,
      fromUserKey: record.fromUserKey,
      fromName: record.fromName,
      toUserKey: record.toUserKey ?? undefined,
      toName: record.toName ?? undefined,
      text: record.text,
      sentAt: record.sentAt,
    }));
  }
}
