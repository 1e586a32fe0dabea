import { describe, expect, it } from 'vitest';
import { codePointLength, countLength, graphemeLength, mastodonLength } from './length.ts';

describe('X', () => {
  it('counts as X counts: URLs 23, CJK and emoji weigh 2', () => {
    expect(countLength('hello', 'x').length).toBe(5);
    expect(countLength('see https://example.com/a/very/long/path/that/goes/on?and=on', 'x').length).toBe(
      4 + 23,
    );
    expect(countLength('日本語', 'x').length).toBe(6);
    expect(countLength('👍', 'x').length).toBe(2);
    expect(countLength('👨‍👩‍👧‍👦', 'x').length).toBe(2);
    expect(countLength('café', 'x').length).toBe(4);
  });
  it('limit 280, remaining and validity at the boundary', () => {
    expect(countLength('a'.repeat(280), 'x')).toMatchObject({
      length: 280,
      remaining: 0,
      valid: true,
      limit: 280,
    });
    expect(countLength('a'.repeat(281), 'x')).toMatchObject({ remaining: -1, valid: false });
    expect(countLength('日'.repeat(140), 'x').valid).toBe(true);
    expect(countLength('日'.repeat(141), 'x').valid).toBe(false);
    expect(countLength('   ', 'x').valid).toBe(false);
    expect(countLength('a'.repeat(1000), 'x', { limit: 25000 }).valid).toBe(true);
  });
});

describe('Mastodon', () => {
  it('counts graphemes, URLs as 23 and remote mentions by local part', () => {
    expect(mastodonLength('hi')).toBe(2);
    expect(mastodonLength('👨‍👩‍👧‍👦')).toBe(1);
    expect(mastodonLength('é')).toBe(1); // e + combining accent
    expect(mastodonLength('https://a.io')).toBe(23);
    expect(mastodonLength(`read https://example.com/${'x'.repeat(100)}`)).toBe(5 + 23);
    expect(mastodonLength('@alice@mastodon.social thanks')).toBe('@alice thanks'.length);
    expect(mastodonLength('mail me: bob@example.com')).toBe(24);
    expect(countLength('a'.repeat(500), 'mastodon').valid).toBe(true);
    expect(countLength('a'.repeat(501), 'mastodon').valid).toBe(false);
    expect(countLength('a'.repeat(501), 'mastodon', { limit: 1000 }).valid).toBe(true);
  });
});

describe('others', () => {
  it('count code points against their limits; email has none', () => {
    expect(codePointLength('👍👍')).toBe(2);
    expect(graphemeLength('👍🏽')).toBe(1);
    expect(countLength('👍', 'reddit')).toMatchObject({ length: 1, limit: 10000, counting: 'code_points' });
    expect(countLength('a'.repeat(8001), 'facebook').valid).toBe(false);
    expect(countLength('a'.repeat(100000), 'email')).toMatchObject({
      limit: null,
      remaining: null,
      valid: true,
    });
    expect(countLength('', 'email').valid).toBe(false);
  });
});
