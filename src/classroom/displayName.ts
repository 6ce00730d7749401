import { z } from 'zod';

/**
 * One rule for every name people see of each other, whatever its source (a
 * guest's form, the LMS's launch, the course roster): trimmed, 1 to 60
 * characters, no control characters and no bidi embeddings, overrides or
 * isolates, which could make a name read as something else ("\u202Eevil").
 */
export const DISPLAY_NAME_MAX = 60;
const INVISIBLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const INVISIBLE_ALL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** For names people type (guests): a name that breaks the rule is refused with the reason. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters`)
  .refine((value) => !INVISIBLE.test(value), 'contains invisible control characters');

/**
 * For names from elsewhere (the LMS), which cannot be sent back: made to
 * follow the rule. Control characters become spaces (a newline separates
 * words), bidi controls go, runs of white space become one, and the name is
 * cut to the length without splitting a character. Undefined when nothing
 * is left.
 */
export function cleanDisplayName(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let name = raw
    .replace(INVISIBLE_ALL, (character) => (/\p{Cc}/u.test(character) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
  if (name.length > DISPLAY_NAME_MAX) {
    name = name.slice(0, DISPLAY_NAME_MAX);
    // A cut between the two halves of a surrogate pair would leave half a character.
    if (/[\uD800-\uDBFF]$/.test(name)) name = name.slice(0, -1);
    name = name.trim();
  }
  return name.length > 0 ? name : undefined;
}
