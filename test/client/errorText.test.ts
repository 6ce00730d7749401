import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@protocol';
import de from '../../client/src/locales/de.json';
import en from '../../client/src/locales/en.json';
import { ApiError } from '@/api/http';
import { errorText } from '@/locales/errorText';
import { i18n } from '@/locales/i18n';
import { RequestError } from '@/signaling/SignalingClient';

afterEach(() => {
  i18n.global.locale.value = 'en';
});

describe('server errors in the page language', () => {
  // The compiler checks that every code has a message key (errorText.ts); this reads each one out.
  it.each(['en', 'de'] as const)(
    'in %s, every error code the server sends reads as a sentence of its own',
    (locale) => {
      i18n.global.locale.value = locale;
      const unknown = (locale === 'de' ? de : en).errors.unknown;
      for (const code of ERROR_CODES) {
        const text = errorText(new RequestError({ status: 400, code, message: 'English from the server' }));
        expect(text, code).not.toBe(unknown);
        expect(text, code).not.toContain('English from the server');
      }
    },
  );

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
