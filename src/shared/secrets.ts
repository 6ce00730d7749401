import crypto from 'node:crypto';

/**
 * Whether a secret someone sent equals the one we hold, in constant time:
 * both are compared as digests of equal length, so neither the time taken
 * nor a length mismatch says anything about the secret.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
