import type { PollKind } from '@protocol';

type Translate = (key: string) => string;

/** An option as the page shows it: the fixed kinds' keys (`yes`…, `1`…`5`) translated, the teacher's words as written. */
export function optionLabel(kind: PollKind, option: string, t: Translate): string {
  if (kind === 'yesNo') return t(`poll.answers.${option}`);
  if (kind === 'scale') return t(`poll.scale.s${option}`);
  return option;
}

/** Chosen options (by index) as one line: "Jupiter, Saturn". */
export function choicesText(kind: PollKind, options: string[], choices: number[], t: Translate): string {
  return choices.map((index) => optionLabel(kind, options[index] ?? '', t)).join(', ');
}

/** Several answers may be chosen only in a multiple-choice poll. */
export const choosesMany = (kind: PollKind): boolean => kind === 'multiple';

/** What each option got: its count and its share of the people who answered (0 when nobody did). */
export function tally(counts: number[], answered: number): Array<{ count: number; share: number }> {
  return counts.map((count) => ({ count, share: answered > 0 ? count / answered : 0 }));
}
