import crypto from 'node:crypto';

/** 128 random bits, URL-safe: ids that are not guessable. */
export function randomId(bytes = 16): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
