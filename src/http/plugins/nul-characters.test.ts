/**
 * NUL characters in requests: dropped before validation, so a JSON body, a form or a search that holds
 * one is handled like the same input without it (it used to be a 500 from PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { withoutNulCharacters } from './nul-characters.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('NUL characters in requests', () => {
  it('are dropped from every string and key, deep, leaving other values and Buffers alone', () => {
    const raw = Buffer.from('a\u0000b');
    const value = { 'k\u0000ey': ['x\u0000y', { n: 1, ok: true, s: '\u0000' }], raw, nothing: null };
    expect(withoutNulCharacters(value)).toEqual({
      key: ['xy', { n: 1, ok: true, s: '' }],
      raw,
      nothing: null,
    });
    expect(raw.includes(0)).toBe(true);
    expect(withoutNulCharacters('plain')).toBe('plain');
  });

  it('never lets a key cleaned to __proto__ reach the prototype, and walks deep bodies without recursion', () => {
    const body = JSON.parse('{"text":"hi","__pro\\u0000to__":{"role":"admin"},"constr\\u0000uctor":1}');
    withoutNulCharacters(body);
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.role).toBeUndefined();
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    const deep = JSON.parse(`${'['.repeat(200_000)}"a\\u0000"${']'.repeat(200_000)}`);
    withoutNulCharacters(deep);
    let inner = deep;
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('a');
  });

  it('a deeply nested JSON body answers 400 or 200, never 500; a poisoned key changes nothing', async () => {
    const admin = await t.signIn('admin');
    const headers = {
      cookie: admin.cookie,
      'x-csrf-token': admin['x-csrf-token'],
      'content-type': 'application/json',
    };
    const deep = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules/validate',
      headers,
      payload: `{"rules":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`,
    });
    expect(deep.statusCode).toBeLessThan(500);
    const poisoned = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules/validate',
      headers,
      payload: '{"rules":[],"__pro\\u0000to__":{"extra":true}}',
    });
    expect(poisoned.statusCode).toBe(200);
    expect(poisoned.json()).toEqual({ valid: true, problems: [] });
  });

  it('a JSON body with NUL characters is stored without them', async () => {
    const admin = await t.signIn('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] },
      payload: {
        name: 'Ref\u0000unds',
        conditions: { keywords: { any: ['re\u0000fund'] } },
        action: { queue: 'support' },
      },
    });
    expect(res.statusCode).toBe(201);
    const [row] = (await t.ctx.database.pool.query('select name, conditions from routing_rules')).rows;
    expect(row.name).toBe('Refunds');
    expect(row.conditions.keywords.any).toEqual(['refund']);
  });

  it('a search with a NUL character in its query answers as without it', async () => {
    const withNul = await t.app.inject({ method: 'GET', url: '/community/search?q=abc%00def' });
    const without = await t.app.inject({ method: 'GET', url: '/community/search?q=abcdef' });
    expect(withNul.statusCode).toBe(200);
    expect(without.statusCode).toBe(200);
  });
});
