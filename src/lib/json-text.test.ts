import { describe, expect, it } from 'vitest';
import { toPostgresJson, withoutNul } from './json-text.ts';

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

  it('writes bigints as strings and leaves JSON without NUL untouched', () => {
    expect(toPostgresJson({ id: 12345678901234567890n })).toBe('{"id":"12345678901234567890"}');
    const plain = JSON.stringify({ a: 'b' });
    expect(withoutNul(plain)).toBe(plain);
    expect(toPostgresJson(undefined)).toBe('null');
  });
});
