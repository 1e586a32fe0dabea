import { describe, expect, it } from 'vitest';
import { checkSpelling, createSpellChecker, editDistance } from './spellcheck.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('recieve', 'receive')).toBe(1);
    expect(editDistance('acount', 'account')).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('abc', 'abcdef', 2)).toBe(3);
    expect(editDistance('', '')).toBe(0);
  });
});

describe('spell check', () => {
  it('accepts a well-written reply', () => {
    const reply =
      "Hi Sarah, we're sorry about the delay with your refund. I've checked your account and the payment was processed today. Please send us a DM if it hasn't arrived by Friday.";
    expect(checkSpelling(reply)).toEqual([]);
  });

  it('flags unknown words with suggestions by edit distance, keeping capitals', () => {
    const f = checkSpelling('We have recieved your mesage. Apologise for the dealy. Thnaks');
    expect(f.map((x) => x.word)).toEqual(['recieved', 'mesage', 'dealy', 'Thnaks']);
    expect(f[0]).toMatchObject({ start: 8, end: 16 });
    expect(f[0]?.suggestions).toContain('received');
    expect(f[1]?.suggestions[0]).toBe('message');
    expect(f[2]?.suggestions).toContain('delay');
    expect(f[3]?.suggestions).toContain('Thanks');
  });

  it('ignores handles, tags, URLs, emails, numbers, acronyms and names mid-sentence', () => {
    expect(
      checkSpelling(
        'Thanks @jnsmth! See https://exmple.com/hlp #xyzzy or mail hlp@exmple.com, ref 12abc, ATM PIN, ask Priyanka.',
      ),
    ).toEqual([]);
  });

  it('accepts inflections and possessives of listed words', () => {
    const c = createSpellChecker();
    for (const w of [
      'refunds',
      'apologised',
      'checking',
      'quickly',
      "customer's",
      'replies',
      'stopped',
      'unhelpful',
    ]) {
      expect(c.isKnown(w)).toBe(true);
    }
    expect(c.isKnown('asdfgh')).toBe(false);
  });

  it('takes a custom dictionary for brand names', () => {
    expect(checkSpelling('Earshotly welcomes you.').map((f) => f.word)).toEqual(['Earshotly']);
    expect(checkSpelling('Earshotly welcomes you.', ['earshotly'])).toEqual([]);
  });

  it('handles curly apostrophes and empty text', () => {
    expect(checkSpelling('We’re on it, don’t worry.')).toEqual([]);
    expect(checkSpelling('')).toEqual([]);
  });
});
