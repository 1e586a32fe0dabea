/**
 * PostgreSQL text cannot hold U+0000, so a NUL character in a form field, a JSON body or a query string
 * used to end in a 500 (`invalid byte sequence`) on any route that stores or searches it. NUL is never
 * meaningful in what people type: it is dropped from every string of the parsed body, the query and the
 * route parameters before validation. Raw bodies (Buffers, kept for webhook signatures) are left alone;
 * the intake drops NUL from inbound posts itself (src/lib/json-text.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const strip = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '') : s);

/** Keys never written back: a key that becomes one of these once cleaned would reach the prototype. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The value with NUL characters dropped from its strings and keys; objects and arrays are changed in
 * place. Iterative (a deeply nested body cannot overflow the stack); a key that holds NUL is defined
 * afresh under its cleaned name (never through a setter), and dropped if that name is unsafe.
 */
export function withoutNulCharacters<T>(value: T): T {
  if (typeof value === 'string') return strip(value) as T;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node)) continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      const clean = typeof v === 'string' ? strip(v) : v;
      if (clean !== null && typeof clean === 'object') stack.push(clean);
      if (key.includes('\u0000')) {
        delete record[key];
        const name = strip(key);
        if (!UNSAFE_KEYS.has(name)) {
          Object.defineProperty(record, name, {
            value: clean,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      } else if (clean !== v) record[key] = clean;
    }
  }
  return value;
}

export function registerNulCharacterFilter(app: FastifyInstance): void {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.body !== undefined && req.body !== null) req.body = withoutNulCharacters(req.body);
    withoutNulCharacters(req.query);
    withoutNulCharacters(req.params);
  });
}
