import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { countLength } from './length.ts';
import { splitThread } from './thread-split.ts';

const sentence = (i: number) =>
  `This is sentence number ${i} of a reply that explains the refund process in detail.`;
const long = Array.from({ length: 12 }, (_, i) => sentence(i + 1)).join(' ');

describe('splitThread', () => {
  it('leaves a reply that fits alone (trimmed) and returns nothing for blank text', () => {
    expect(splitThread('  Thanks!  ', 'x')).toEqual(['Thanks!']);
    expect(splitThread('   ', 'x')).toEqual([]);
    expect(splitThread(long.repeat(50), 'email')).toHaveLength(1);
  });

  it('splits at sentence boundaries into numbered parts within the X limit', () => {
    const parts = splitThread(long, 'x');
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(countLength(p, 'x').valid).toBe(true);
      expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
      expect(p.replace(/ \d+\/\d+$/, '')).toMatch(/\.$/);
    });
    const rejoined = parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ');
    expect(rejoined).toBe(long);
  });

  it('falls back to words for an overlong sentence and graphemes for an overlong word', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const parts = splitThread(words, 'x', { numbering: false });
    for (const p of parts) expect(countLength(p, 'x').length).toBeLessThanOrEqual(280);
    expect(parts.join(' ')).toBe(words);
    const blob = 'z'.repeat(700);
    const pieces = splitThread(blob, 'x', { numbering: false });
    expect(pieces.map((p) => p.length)).toEqual([280, 280, 140]);
  });

  it('measures weighted: CJK text splits at half the characters', () => {
    const cjk = '日本語の文章です。'.repeat(40);
    const parts = splitThread(cjk, 'x');
    for (const p of parts) expect(countLength(p, 'x').valid).toBe(true);
    expect(parts.length).toBeGreaterThanOrEqual(3);
  });

  it('widens the numbering when there are ten or more parts', () => {
    const parts = splitThread(long.repeat(3), 'x', { limit: 120 });
    expect(parts.length).toBeGreaterThanOrEqual(10);
    for (const p of parts) expect(countLength(p, 'x').length).toBeLessThanOrEqual(120);
    expect(parts.at(-1)).toMatch(new RegExp(` ${parts.length}/${parts.length}$`));
  });

  it('keeps paragraph breaks inside a part and never splits a URL', () => {
    const text = `First paragraph here.\n\nSecond one: https://example.com/${'p'.repeat(300)} done. ${long}`;
    const parts = splitThread(text, 'x');
    expect(parts[0]).toContain('First paragraph here.\n\nSecond one:');
    expect(parts.some((p) => p.includes(`https://example.com/${'p'.repeat(300)}`))).toBe(true);
  });

  it('refuses impossible limits', () => {
    expect(() => splitThread('hello world again', 'x', { limit: 4 })).toThrow(DomainError);
  });
});
