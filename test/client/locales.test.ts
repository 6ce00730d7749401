import { describe, expect, it } from 'vitest';
import de from '../../client/src/locales/de.json';
import en from '../../client/src/locales/en.json';
import { chooseLocale, formatTime, formattingLocale, lmsLocaleFromHash } from '@/locales/i18n';

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('translations', () => {
  it('German and English define the same messages', () => {
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });

  it('no message is left empty', () => {
    for (const messages of [de, en]) {
      const empty = keys(messages).filter((key) => {
        const value = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty).toEqual([]);
    }
  });
});

describe('the page language', () => {
  it('follows the LMS locale handed over at launch over the browser language', () => {
    expect(chooseLocale({ lms: lmsLocaleFromHash('#ticket=abc&lang=de'), browser: ['en-GB', 'en'] })).toBe(
      'de',
    );
  });

  it("puts the person's own choice before the LMS locale", () => {
    expect(chooseLocale({ chosen: 'en', lms: 'de', browser: ['de-DE'] })).toBe('en');
  });

  it('falls back to the browser languages, then English', () => {
    expect(chooseLocale({ browser: ['fr-FR', 'de-AT'] })).toBe('de');
    expect(chooseLocale({ browser: ['fr-FR'] })).toBe('en');
    expect(lmsLocaleFromHash('#ticket=abc')).toBeUndefined();
  });
});

describe('times', () => {
  const fivePastOnePm = new Date(2025, 0, 1, 13, 5);

  it('are written as the browser region writes them: 24 hours for en-GB', () => {
    expect(formattingLocale('en', ['en-GB', 'en'])).toBe('en-GB');
    expect(
      new Intl.DateTimeFormat(formattingLocale('en', ['en-GB']), {
        hour: '2-digit',
        minute: '2-digit',
      }).format(fivePastOnePm),
    ).toBe('13:05');
  });

  it('use the region of the page language when the browser speaks another one', () => {
    expect(formattingLocale('de', ['en-US'])).toBe('de-DE');
    expect(formatTime(fivePastOnePm, 'de')).toBe('13:05');
  });
});
