/**
 * Refusals an operator should know about: a school that switched Aula off
 * still trying to use it, an LMS that is not registered knocking, the login
 * limit or the guest password limits biting.
 */
export const REFUSAL_KINDS = ['switchedOff', 'unknownPlatform', 'loginLimit', 'guestPasswordLimit'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/** What the features see: one call per refusal, nothing to await, nothing that can fail them. */
export type NoteRefusal = (kind: RefusalKind, subject?: string) => void;
