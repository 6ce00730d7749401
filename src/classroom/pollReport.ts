import { csvTable } from './attendanceReport.js';
import { countsOf, type Poll } from './PollStore.js';

export interface PollSummary {
  id: string;
  question: string;
  kind: Poll['kind'];
  options: string[];
  anonymous: boolean;
  startedAt: Date;
  closedAt: Date | null;
  answered: number;
  counts: number[];
  /** Named polls only: who chose what. */
  voters?: Array<{ name: string; choices: number[] }>;
}

export function pollSummary(poll: Poll): PollSummary {
  return {
    id: poll._id,
    question: poll.question,
    kind: poll.kind,
    options: poll.options,
    anonymous: poll.anonymous,
    startedAt: poll.startedAt,
    closedAt: poll.closedAt ?? null,
    answered: poll.answers.length,
    counts: countsOf(poll),
    ...(poll.anonymous
      ? {}
      : { voters: poll.answers.map((a) => ({ name: a.name ?? '', choices: a.choices })) }),
  };
}

/**
 * A lesson's polls as a spreadsheet: one row per option with its count, and
 * for named polls one row per person and chosen option.
 */
export function pollsCsv(polls: Poll[]): string {
  const rows: string[][] = [];
  for (const poll of polls) {
    const counts = countsOf(poll);
    poll.options.forEach((option, index) => {
      rows.push([poll.question, poll.startedAt.toISOString(), option, String(counts[index]), '']);
    });
    if (poll.anonymous) continue;
    for (const answer of poll.answers) {
      for (const choice of answer.choices) {
        rows.push([
          poll.question,
          poll.startedAt.toISOString(),
          poll.options[choice] ?? '',
          '',
          answer.name ?? '',
        ]);
      }
    }
  }
  return csvTable(['question', 'started', 'option', 'count', 'name'], rows);
}
