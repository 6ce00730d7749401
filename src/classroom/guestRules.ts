import crypto from 'node:crypto';
import { z } from 'zod';

// Display names follow the one rule for every source (displayName.ts).
export { displayNameSchema } from './displayName.js';

// The seeds' rules: room names of 3–32 letters and digits (case-sensitive);
// passwords of at least 8 characters mixing digits, upper and lower case.

export const guestLinkNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3 to 32 letters and digits');

export const guestPasswordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .refine((value) => /[0-9]/.test(value), 'must contain a digit')
  .refine((value) => /[a-z]/.test(value), 'must contain a lower-case letter')
  .refine((value) => /[A-Z]/.test(value), 'must contain an upper-case letter');

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number, alphabet: string): string {
  let out = '';
  while (out.length < length) {
    // Rejection sampling keeps every character equally likely.
    for (const byte of crypto.randomBytes(length)) {
      if (byte < 256 - (256 % alphabet.length) && out.length < length)
        out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** 24 base62 characters: about 143 random bits, above the 128 a link must carry. */
export function generateLinkName(): string {
  return randomString(24, BASE62);
}

/** A password teachers can read aloud: no 0/O or 1/l/I, and it satisfies the policy. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  for (;;) {
    const candidate = randomString(14, alphabet);
    if (guestPasswordSchema.safeParse(candidate).success) return candidate;
  }
}
