import { describe, expect, it } from 'vitest';
import { postgresSafeJson, toPostgresJson } from './json-text.ts';

describe('JSON for PostgreSQL', () => {
  it('drops NUL characters from every string, keeps everything else', () => {
    const value = { text: 'a\u0000b', nested: ['\u0000', { k: 'x\u0000\u0000y' }], n: 1 };
    expect(JSON.parse(toPostgresJson(value))).toEqual({ text: 'ab', nested: ['', { k: 'xy' }], n: 1 });
  });

  it('keeps a literal backslash followed by u0000, and a backslash right before a NUL', () => {
    const value = { literal: 'see \\u0000 here', both: '\\\u0000', many: '\\\\u0000' };
    expect(JSON.parse(toPostgresJson(value))).toEqual({
      literal: 'see \\u0000 here',
      both: '\\',
      many: '\\\\u0000',
    });
  });

  it('turns lone surrogates (an emoji cut in half) into U+FFFD, keeps whole emoji and escaped text', () => {
    const value = {
      cut: 'ok \ud83d',
      low: '\ude00 x',
      whole: '😀',
      text: 'see \\ud83d',
      control: 'a\u0001b',
    };
    expect(JSON.parse(toPostgresJson(value))).toEqual({
      cut: 'ok \ufffd',
      low: '\ufffd x',
      whole: '😀',
      text: 'see \\ud83d',
      control: 'a\u0001b',
    });
  });

  it('writes bigints as strings and leaves JSON without NUL untouched', () => {
    expect(toPostgresJson({ id: 12345678901234567890n })).toBe('{"id":"12345678901234567890"}');
    const plain = JSON.stringify({ a: 'b' });
    expect(postgresSafeJson(plain)).toBe(plain);
    expect(toPostgresJson(undefined)).toBe('null');
  });
});
