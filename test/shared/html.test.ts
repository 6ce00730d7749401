import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/shared/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that end text or a quoted attribute, each occurrence', () => {
    expect(escapeHtml(`<a href="x?a=1&b='2'">&&</a>`)).toBe(
      '&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;&amp;&amp;&lt;/a&gt;',
    );
  });

  it('escapes an ampersand once, whatever follows it', () => {
    expect(escapeHtml('&lt; &amp;')).toBe('&amp;lt; &amp;amp;');
  });

  it('returns text without those characters unchanged', () => {
    expect(escapeHtml('Grüße aus Köln, 5 % – ok')).toBe('Grüße aus Köln, 5 % – ok');
  });
});
