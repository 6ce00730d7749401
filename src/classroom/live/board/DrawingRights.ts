import type { DrawingMode } from '../../../protocol/index.js';
import type { Participant } from '../Participant.js';

/**
 * Who may draw on the class's board besides the teachers (and TAs, who are
 * teachers here): nobody, everyone, or the students the teacher chose. Kept
 * by user key, so a page that reconnects keeps the pen; restricted
 * participants (mentors, unknown roles) never get it.
 */
export class DrawingRights {
  private mode: DrawingMode = 'teachers';
  private readonly chosen = new Set<string>();

  /** As kept for the classroom (a restart, a move to another node). */
  restore(mode: DrawingMode, chosen: readonly string[]): void {
    this.mode = mode;
    this.chosen.clear();
    for (const userKey of chosen) this.chosen.add(userKey);
  }

  mayDraw(participant: Participant): boolean {
    if (participant.isTeacher) return true;
    if (participant.restricted) return false;
    if (this.mode === 'everyone') return true;
    return this.mode === 'chosen' && this.chosen.has(participant.userKey);
  }

  get current(): { mode: DrawingMode; chosen: string[] } {
    return { mode: this.mode, chosen: [...this.chosen] };
  }

  setMode(mode: DrawingMode): void {
    this.mode = mode;
  }

  /** Gives or takes the pen; choosing someone switches to "chosen students" from "nobody". */
  choose(participant: Participant, allowed: boolean): void {
    if (allowed) this.chosen.add(participant.userKey);
    else this.chosen.delete(participant.userKey);
    if (allowed && this.mode === 'teachers') this.mode = 'chosen';
  }
}
