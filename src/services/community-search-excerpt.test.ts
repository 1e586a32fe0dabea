import { describe, expect, it } from 'vitest';
import { buildExcerpt, MARK_START, MARK_STOP, matchesLexeme } from './community-search-excerpt.ts';

describe('search excerpts', () => {
  it('matches words to English stems the way the Snowball stemmer reduces them', () => {
    expect(matchesLexeme('printers', ['printer'])).toBe(true);
    expect(matchesLexeme('printing', ['print'])).toBe(true);
    expect(matchesLexeme('updated', ['updat'])).toBe(true);
    expect(matchesLexeme('battery', ['batteri'])).toBe(true);
    expect(matchesLexeme("firmware's", ['firmwar'])).toBe(true);
    expect(matchesLexeme('reprint', ['print'])).toBe(false);
    expect(matchesLexeme('printerfriendliness', ['print'])).toBe(false);
  });

  it('marks the matches in a window around them and escapes everything else', () => {
    const words = Array.from({ length: 80 }, (_, i) => `w${i}`);
    words[50] = '<b>Firmware</b>';
    const text = `${words.join(' ')} & "more"`;
    const { html, marked } = buildExcerpt(text, ['firmwar']);
    expect(html).toContain('&#60;b&#62;<mark>Firmware</mark>&#60;/b&#62;');
    expect(html).not.toContain('<b>');
    expect(html.startsWith('… ')).toBe(true);
    expect(html).not.toContain('w10 ');
    expect(marked).toContain(`<b>${MARK_START}Firmware${MARK_STOP}</b>`);
  });

  it('keeps script payloads inert', () => {
    const { html } = buildExcerpt('<script>alert(1)</script> xsspayload <img src=x onerror=alert(2)>', [
      'xsspayload',
    ]);
    expect(html).toContain('<mark>xsspayload</mark>');
    expect(html).not.toMatch(/<(script|img)/);
    expect(html.replace(/<\/?mark>/g, '')).not.toContain('<');
  });

  it('marks the same words when lowercasing changes the text length', () => {
    // "İ" lowercases to two code units: words are then lowercased one by one
    const { html } = buildExcerpt('İstanbul printers print reprints', ['print']);
    expect(html).toBe('İstanbul <mark>printers</mark> <mark>print</mark> reprints');
    expect(buildExcerpt('Batteries and a battery', ['batteri']).html).toBe(
      '<mark>Batteries</mark> and a <mark>battery</mark>',
    );
  });

  it('falls back to the start of the post when only the title matched', () => {
    const { html } = buildExcerpt('Nothing relevant here.', ['printer']);
    expect(html).toBe('Nothing relevant here.');
  });
});
