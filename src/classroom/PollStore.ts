import crypto from 'node:crypto';
import type { Models, PollRecord } from '../store/models/index.js';
import type { WriteBehind } from '../store/WriteBehind.js';

export type Poll = PollRecord & { _id: string };
export type PollAnswer = PollRecord['answers'][number];

/**
 * Polls of lessons: the owner of the `polls` collection. The live room keeps
 * the open poll in memory and writes every change through the write-behind
 * queue, so answers keep coming during a database outage.
 */
export class PollStore {
  constructor(
    private readonly models: Models,
    private readonly writes: WriteBehind,
    private readonly retentionMs: number,
  ) {}

  /** Who a person is in one poll: their user key in a named poll, a pseudonym in an anonymous one. */
  static voterOf(poll: { _id: string; anonymous: boolean }, userKey: string): string {
    if (!poll.anonymous) return userKey;
    return crypto.createHash('sha256').update(`${poll._id}:${userKey}`).digest('base64url');
  }

  save(poll: Poll): void {
    const record = { ...poll, expiresAt: new Date(poll.startedAt.getTime() + this.retentionMs) };
    this.writes.enqueue('polls.save', () =>
      this.models.polls.replaceOne({ _id: poll._id }, record, { upsert: true }),
    );
  }

  /** The poll still open in a lesson (after a restart the room takes it up again). */
  async open(lessonId: string): Promise<Poll | undefined> {
    return (
      (await this.models.polls
        .findOne({ lessonId, closedAt: { $exists: false } })
        .sort({ startedAt: -1 })
        .lean<Poll>()) ?? undefined
    );
  }

  async ofLesson(lessonId: string): Promise<Poll[]> {
    return this.models.polls.find({ lessonId }).sort({ startedAt: 1 }).lean<Poll[]>();
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.models.polls.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Erasure: a user's answers leave every poll, named or anonymous. */
  async eraseUser(userKey: string): Promise<number> {
    const polls = await this.models.polls.find({}, { _id: 1, anonymous: 1, answers: 1 }).lean<Poll[]>();
    let erased = 0;
    for (const poll of polls) {
      const voter = PollStore.voterOf(poll, userKey);
      const kept = poll.answers.filter((answer) => answer.voter !== voter);
      if (kept.length === poll.answers.length) continue;
      await this.models.polls.updateOne({ _id: poll._id }, { $set: { answers: kept } });
      erased += poll.answers.length - kept.length;
    }
    return erased;
  }
}

/** Options of the fixed kinds, as keys the page translates. */
export function optionsOf(kind: Poll['kind'], given: string[] | undefined): string[] {
  if (kind === 'yesNo') return ['yes', 'no', 'abstain'];
  if (kind === 'scale') return ['1', '2', '3', '4', '5'];
  return given ?? [];
}

export function countsOf(poll: Poll): number[] {
  const counts = poll.options.map(() => 0);
  for (const answer of poll.answers) for (const choice of answer.choices) counts[choice]! += 1;
  return counts;
}
