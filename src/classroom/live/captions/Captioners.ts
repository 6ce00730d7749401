import type { LessonLifecycle } from '../membership/LessonLifecycle.js';
import type { Participant } from '../Participant.js';

/**
 * Who may type captions besides the teachers, and whether the teacher keeps a
 * transcript: the participants a teacher made captioners, of any role (a TA,
 * a student, an interpreter who came as a guest). Kept by user key with the
 * lesson's record, so a page that reconnects keeps the role, and so does a
 * lesson that a restart or a fail-over moves to another process; both end
 * with the lesson.
 */
export class Captioners {
  constructor(private readonly lesson: LessonLifecycle) {}

  isCaptioner(participant: Participant): boolean {
    return this.lesson.current?.captionerUserKeys.includes(participant.userKey) ?? false;
  }

  choose(participant: Participant, allowed: boolean): void {
    this.lesson.setCaptioner(participant.userKey, allowed);
  }

  /** The participants among these who hold the role. */
  among(participants: readonly Participant[]): string[] {
    return participants.filter((participant) => this.isCaptioner(participant)).map(({ id }) => id);
  }

  get transcriptKept(): boolean {
    return this.lesson.current?.keepTranscript ?? false;
  }

  keepTranscript(keep: boolean): void {
    this.lesson.setKeepTranscript(keep);
  }
}
