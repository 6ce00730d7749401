import type { ConsentChoice, ConsentSummary } from '../../../protocol/index.js';
import type { RecordingServices } from '../../../recording/RecordingServices.js';
import type { Participant } from '../Participant.js';
import { latestAnswers } from './recordingRules.js';

/**
 * Who agreed to what in the running recording: each answer is kept in the
 * store with the version of the text shown, the latest per person here.
 * Someone without an answer is neither recorded nor sends into the recorded
 * room until they answered (asked before their media starts).
 */
export class RecordingConsents {
  private answers = new Map<string, ConsentChoice>();

  constructor(private readonly services: () => RecordingServices | undefined) {}

  choiceOf(participant: Participant): ConsentChoice | undefined {
    return this.answers.get(participant.userKey);
  }

  answered(participant: Participant): boolean {
    return this.answers.has(participant.userKey);
  }

  /** A new recording: nobody answered yet. */
  clear(): void {
    this.answers = new Map();
  }

  /** The recording goes on on this node: the answers given on the last one still hold. */
  async restore(recordingId: string): Promise<void> {
    this.answers = latestAnswers((await this.services()?.store.consents(recordingId)) ?? []);
  }

  async record(
    recordingId: string,
    classroomId: string,
    participant: Participant,
    answer: { choice: ConsentChoice; textVersion: string },
  ): Promise<void> {
    await this.services()!.store.addConsent({
      recordingId,
      classroomId,
      userKey: participant.userKey,
      displayName: participant.displayName,
      role: participant.role,
      ...answer,
    });
    this.answers.set(participant.userKey, answer.choice);
  }

  /** What the teacher sees: counts and names of those in the lesson. */
  summary(people: readonly Participant[]): ConsentSummary {
    const counts: ConsentSummary['counts'] = { cameraAndMic: 0, micOnly: 0, none: 0, unanswered: 0 };
    const listed = people.map((participant) => {
      const choice = this.answers.get(participant.userKey) ?? null;
      counts[choice ?? 'unanswered'] += 1;
      return { participantId: participant.id, displayName: participant.displayName, choice };
    });
    return { counts, people: listed };
  }
}
