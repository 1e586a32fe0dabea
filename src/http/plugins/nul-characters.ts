/**
 * PostgreSQL text cannot hold U+0000, so a NUL character in a form field, a JSON body or a query string
 * used to end in a 500 (`invalid byte sequence`) on any route that stores or searches it. NUL is never
 * meaningful in what people type: it is dropped from every string of the parsed body, the query and the
 * route parameters before validation. Raw bodies (Buffers, kept for webhook signatures) are left alone;
 * the intake drops NUL from inbound posts itself (src/lib/json-text.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The value with NUL characters dropped from its strings; objects and arrays are changed in place. */
export function withoutNulCharacters<T>(value: T): T {
  if (typeof value === 'string')
    return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = withoutNulCharacters(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const clean = key.includes('\u0000') ? key.replaceAll('\u0000', '') : key;
      const v = withoutNulCharacters(record[key]);
      if (clean !== key) delete record[key];
      record[clean] = v;
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
