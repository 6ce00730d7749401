import crypto from 'node:crypto';
import type { Models, PollRecord } from '../store/models/index.js';
import type { WriteBehind } from '../store/WriteBehind.js';

export type Poll = PollRecord & { _id: string };
export type PollAnswer = PollRecord['answers'][number];

/**
 * Polls of lessons: the owner of the `polls` and `pollAnswers` collections.
 * The live classroom keeps the open poll in memory and writes each change
 * through the write-behind queue (a poll when it starts or closes, one
 * answer when it is given), so answers keep coming during a database outage.
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

  /** The poll itself (question, options, times); its answers are written one by one. */
  save(poll: Poll): void {
    const { answers: _answers, ...rest } = poll;
    const record = { ...rest, expiresAt: this.expiresAt(poll) };
    this.writes.enqueue('polls.save', () =>
      this.models.polls.updateOne({ _id: poll._id }, { $set: record }, { upsert: true }),
    );
  }

  /** One answer, given or changed: only its own document is written. */
  saveAnswer(poll: Poll, answer: PollAnswer): void {
    const record = { ...answer, pollId: poll._id, expiresAt: this.expiresAt(poll) };
    const _id = `${poll._id}:${answer.voter}`;
    this.writes.enqueue('polls.saveAnswer', () =>
      this.models.pollAnswers.replaceOne({ _id }, { _id, ...record }, { upsert: true }),
    );
  }

  /** The poll still open in a lesson (after a restart the room takes it up again). */
  async open(lessonId: string): Promise<Poll | undefined> {
    const poll = await this.models.polls
      .findOne({ lessonId, closedAt: { $exists: false } })
      .sort({ startedAt: -1 })
      .lean<Poll>();
    return poll ? (await this.withAnswers([poll]))[0] : undefined;
  }

  async ofLesson(lessonId: string): Promise<Poll[]> {
    return this.withAnswers(await this.models.polls.find({ lessonId }).sort({ startedAt: 1 }).lean<Poll[]>());
  }

  async deleteExpired(now: Date): Promise<number> {
    await this.models.pollAnswers.deleteMany({ expiresAt: { $lt: now } });
    return (await this.models.polls.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /** Erasure: a user's answers leave every poll, named or anonymous. */
  async eraseUser(userKey: string): Promise<number> {
    const polls = await this.models.polls.find({}, { _id: 1, anonymous: 1, answers: 1 }).lean<Poll[]>();
    let erased = 0;
    for (const poll of polls) {
      const voter = PollStore.voterOf(poll, userKey);
      const kept = (poll.answers ?? []).filter((answer) => answer.voter !== voter);
      if (kept.length !== (poll.answers ?? []).length) {
        await this.models.polls.updateOne({ _id: poll._id }, { $set: { answers: kept } });
        erased += (poll.answers ?? []).length - kept.length;
      }
    }
    const ids = polls.map((poll) => `${poll._id}:${PollStore.voterOf(poll, userKey)}`);
    erased += (await this.models.pollAnswers.deleteMany({ _id: { $in: ids } })).deletedCount;
    return erased;
  }

  private expiresAt(poll: Poll): Date {
    return new Date(poll.startedAt.getTime() + this.retentionMs);
  }

  /** Each poll with its answers: those of their own documents, and any kept in the poll itself. */
  private async withAnswers(polls: Poll[]): Promise<Poll[]> {
    if (polls.length === 0) return polls;
    const answers = await this.models.pollAnswers
      .find({ pollId: { $in: polls.map((poll) => poll._id) } })
      .sort({ answeredAt: 1 })
      .lean();
    return polls.map((poll) => {
      const own = answers
        .filter((answer) => answer.pollId === poll._id)
        .map(({ voter, name, choices, answeredAt }) => ({
          voter,
          choices,
          answeredAt,
          ...(name ? { name } : {}),
        }));
      const voters = new Set(own.map((answer) => answer.voter));
      return { ...poll, answers: [...(poll.answers ?? []).filter((a) => !voters.has(a.voter)), ...own] };
    });
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
