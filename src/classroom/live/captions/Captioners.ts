import type { Participant } from '../Participant.js';

/**
 * Who may type captions besides the teachers: the participants a teacher
 * made captioners, of any role (a TA, a student, an interpreter who came as
 * a guest). Kept by user key, so a page that reconnects keeps the role, for
 * the lesson only.
 */
export class Captioners {
  private readonly chosen = new Set<string>();

  isCaptioner(participant: Participant): boolean {
    return this.chosen.has(participant.userKey);
  }

  choose(participant: Participant, allowed: boolean): void {
    if (allowed) this.chosen.add(participant.userKey);
    else this.chosen.delete(participant.userKey);
  }

  /** The participants among these who hold the role. */
  among(participants: readonly Participant[]): string[] {
    return participants.filter((participant) => this.isCaptioner(participant)).map(({ id }) => id);
  }

  clear(): void {
    this.chosen.clear();
  }
}
