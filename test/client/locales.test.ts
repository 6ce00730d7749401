import { describe, expect, it } from 'vitest';
import de from '../../client/src/locales/de.json';
import en from '../../client/src/locales/en.json';

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
