import type { PollResults, PollView, RequestPayload } from '../../../protocol/index.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors.js';
import { randomId } from '../../../shared/ids.js';
import { PollStore, countsOf, optionsOf, type Poll, type PollAnswer } from '../../PollStore.js';
import type { ClassroomContext, RoomServices } from '../ClassroomContext.js';
import type { Participant } from '../Participant.js';

/**
 * The lesson's poll, one for the whole class: a teacher starts it, people in
 * the lesson answer wherever they are (one answer per person, changeable
 * until it closes), results reach teachers live and everyone when shared.
 * One poll runs at a time; each answer is stored on its own.
 */
export class Polls {
  private current: Poll | undefined;
  private shared = false;
  private timer: NodeJS.Timeout | undefined;
  private loaded: string | undefined;

  constructor(
    private readonly ctx: ClassroomContext,
    private readonly store: RoomServices['polls'],
  ) {}

  start(teacher: Participant, request: RequestPayload<'poll:start'>): string {
    const lesson = this.requireLesson();
    if (this.current && !this.current.closedAt)
      throw new ConflictError('A poll is already running', 'POLL_RUNNING');
    const startedAt = new Date();
    const poll: Poll = {
      _id: randomId(12),
      classroomId: this.ctx.classroomId,
      lessonId: lesson._id,
      question: request.question,
      kind: request.kind,
      options: optionsOf(request.kind, request.options),
      anonymous: request.anonymous,
      guestsMayAnswer: request.guestsMayAnswer,
      startedAt,
      endsAt: request.durationSeconds
        ? new Date(startedAt.getTime() + request.durationSeconds * 1000)
        : undefined,
      answers: [],
      expiresAt: startedAt,
    };
    this.current = poll;
    this.shared = false;
    this.store.save(poll);
    if (poll.endsAt) this.schedule(poll, poll.endsAt.getTime() - Date.now());
    this.ctx.logger.info({ pollId: poll._id, by: teacher.id }, 'start() | poll started');
    this.announce();
    return poll._id;
  }

  answer(participant: Participant, pollId: string, choices: number[]): void {
    const poll = this.open(pollId);
    if (participant.role === 'guest' && !poll.guestsMayAnswer) {
      throw new ForbiddenError('Guests do not answer this poll', 'POLL_NOT_FOR_GUESTS');
    }
    const distinct = [...new Set(choices)];
    const single = poll.kind !== 'multiple';
    if ((single && distinct.length !== 1) || distinct.some((choice) => choice >= poll.options.length)) {
      throw new BadRequestError(single ? 'Choose exactly one option' : 'Choose among the options');
    }
    // Two tabs of one person are one voter; answering again replaces the answer.
    const answer: PollAnswer = {
      voter: PollStore.voterOf(poll, participant.userKey),
      ...(poll.anonymous ? {} : { name: participant.displayName }),
      choices: distinct.sort((a, b) => a - b),
      answeredAt: new Date(),
    };
    poll.answers = [...poll.answers.filter((other) => other.voter !== answer.voter), answer];
    this.store.saveAnswer(poll, answer);
    for (const tab of this.ctx.roster.tabsOf(participant.userKey))
      tab.emit('poll:updated', this.view(poll, tab));
    this.sendResults();
  }

  close(pollId: string): void {
    const poll = this.open(pollId);
    poll.closedAt = new Date();
    clearTimeout(this.timer);
    this.store.save(poll);
    this.announce();
  }

  share(pollId: string, shared: boolean): void {
    if (this.current?._id !== pollId) throw new NotFoundError('No such poll in this lesson', 'UNKNOWN_POLL');
    this.shared = shared;
    this.announce();
  }

  /** What a viewer sees of the lesson's poll. */
  viewFor(viewer: Participant): { poll: PollView | null; pollResults: PollResults | null } {
    const poll = this.current;
    if (!poll || poll.lessonId !== this.ctx.lesson?._id) return { poll: null, pollResults: null };
    return {
      poll: this.view(poll, viewer),
      pollResults: this.mayReadResults(viewer) ? this.results(poll, viewer) : null,
    };
  }

  /** A room created while a lesson runs (a restart) takes up its open poll. */
  async restore(): Promise<void> {
    const lesson = this.ctx.lesson;
    if (!lesson || this.loaded === lesson._id) return;
    this.loaded = lesson._id;
    const open = await this.store.open(lesson._id).catch(() => undefined);
    if (!open || this.current) return;
    this.current = open;
    if (open.endsAt) this.schedule(open, open.endsAt.getTime() - Date.now());
  }

  /** The lesson ended: its poll closes with it. */
  endLesson(): void {
    const poll = this.current;
    clearTimeout(this.timer);
    if (poll && !poll.closedAt) {
      poll.closedAt = new Date();
      this.store.save(poll);
    }
    this.current = undefined;
    this.shared = false;
  }

  private schedule(poll: Poll, inMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        if (this.current === poll && !poll.closedAt) this.close(poll._id);
      },
      Math.max(0, inMs),
    );
    this.timer.unref();
  }

  private open(pollId: string): Poll {
    const poll = this.current;
    if (poll?._id !== pollId) throw new NotFoundError('No such poll in this lesson', 'UNKNOWN_POLL');
    if (poll.closedAt) throw new ConflictError('This poll is closed', 'POLL_CLOSED');
    return poll;
  }

  private requireLesson() {
    const lesson = this.ctx.lesson;
    if (!lesson) throw new ConflictError('No lesson is running', 'LESSON_NOT_STARTED');
    return lesson;
  }

  private mayReadResults(viewer: Participant): boolean {
    return viewer.isTeacher || this.shared;
  }

  private view(poll: Poll, viewer: Participant): PollView {
    const voter = PollStore.voterOf(poll, viewer.userKey);
    return {
      id: poll._id,
      question: poll.question,
      kind: poll.kind,
      options: poll.options,
      anonymous: poll.anonymous,
      guestsMayAnswer: poll.guestsMayAnswer,
      startedAt: poll.startedAt.getTime(),
      endsAt: poll.endsAt?.getTime() ?? null,
      closed: Boolean(poll.closedAt),
      shared: this.shared,
      mine: poll.answers.find((answer) => answer.voter === voter)?.choices ?? null,
    };
  }

  private results(poll: Poll, viewer: Participant): PollResults {
    return viewer.isTeacher ? Polls.teacherResults(poll) : Polls.sharedResults(poll);
  }

  /** What everyone may read once results are shared: counts, never names. */
  private static sharedResults(poll: Poll): PollResults {
    return { pollId: poll._id, answered: poll.answers.length, counts: countsOf(poll) };
  }

  /** What teachers read: the counts, and for a named poll who chose what. */
  private static teacherResults(poll: Poll, shared = Polls.sharedResults(poll)): PollResults {
    if (poll.anonymous) return shared;
    return {
      ...shared,
      voters: poll.answers.map((answer) => ({ name: answer.name ?? '', choices: answer.choices })),
    };
  }

  private announce(): void {
    const poll = this.current;
    if (!poll) return;
    for (const viewer of this.ctx.roster.joined()) viewer.emit('poll:updated', this.view(poll, viewer));
    this.sendResults();
  }

  private sendResults(): void {
    const poll = this.current;
    if (!poll) return;
    // Counted once per change, not once per reader.
    const shared = Polls.sharedResults(poll);
    const forTeachers = Polls.teacherResults(poll, shared);
    for (const viewer of this.ctx.roster.joined()) {
      if (this.mayReadResults(viewer)) viewer.emit('poll:results', viewer.isTeacher ? forTeachers : shared);
    }
  }
}
