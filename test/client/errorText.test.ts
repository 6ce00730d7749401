import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import de from '../../client/src/locales/de.json';
import en from '../../client/src/locales/en.json';
import { ApiError } from '@/api/http';
import { errorText } from '@/locales/errorText';
import { i18n } from '@/locales/i18n';
import { RequestError } from '@/signaling/SignalingClient';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Upper-case string literals in the server that are not error codes. */
const NOT_CODES = new Set([
  'HMAC',
  'SIGTERM',
  'SIGINT',
  'SIGKILL',
  'POST',
  'PATCH',
  'DELETE',
  'JWK_SET',
  'JWK_KEY',
  'RSA_KEY',
]);

function serverErrorCodes(): string[] {
  const codes = new Set<string>();
  for (const file of files(path.resolve('src'))) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z_]{3,})'/g)) {
      const code = match[1]!;
      if (!NOT_CODES.has(code) && !code.startsWith('AULA_') && !code.startsWith('ERR_')) codes.add(code);
    }
  }
  return [...codes].sort();
}

afterEach(() => {
  i18n.global.locale.value = 'en';
});

describe('server errors in the page language', () => {
  it('every error code the server sends has a message in German and English', () => {
    const codes = serverErrorCodes();
    expect(codes).toContain('PERMISSION_DENIED');
    expect(codes.filter((code) => !(code in en.errors))).toEqual([]);
    expect(codes.filter((code) => !(code in de.errors))).toEqual([]);
  });

  it('translates a refused permission with its translated name, never the English message', () => {
    i18n.global.locale.value = 'de';
    const refusal = new RequestError({
      status: 403,
      code: 'PERMISSION_DENIED',
      message: 'You are not allowed to do this (unmute).',
      details: { permission: 'unmute' },
    });
    expect(errorText(refusal)).toBe('Das ist Ihnen nicht erlaubt: das Mikrofon einschalten.');
  });

  it('passes numbers from the details as parameters', () => {
    i18n.global.locale.value = 'de';
    const limited = new ApiError({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many attempts, try again later',
      details: { retryAfterSeconds: 30 },
    });
    expect(errorText(limited)).toBe('Zu viele Versuche. Versuchen Sie es in 30 Sekunden erneut.');
  });

  it('answers an unknown code with a sentence in the page language', () => {
    i18n.global.locale.value = 'de';
    const unknown = new RequestError({
      status: 409,
      code: 'SOMETHING_NEW',
      message: 'Something new happened',
    });
    expect(errorText(unknown)).toBe(de.errors.unknown);
    expect(errorText(new Error('socket hang up'))).toBe(de.errors.unknown);
  });
});
