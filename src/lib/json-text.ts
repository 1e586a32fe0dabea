/**
 * JSON for PostgreSQL's json/jsonb input. PostgreSQL text cannot hold U+0000, and jsonb refuses the
 * `\u0000` escape, so one NUL character anywhere in a post would make a whole batch fail (and a
 * channel that re-fetches it stall). NUL characters are dropped from every string; a literal
 * backslash followed by "u0000" (escaped in JSON as `\\u0000`) is text, and is kept.
 */

/** `\u0000` escapes preceded by an even number of backslashes (so not an escaped backslash's "u0000"). */
const NUL_ESCAPE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u0000/g;

/** JSON text without NUL characters in its strings (input: JSON.stringify output). */
export function withoutNul(json: string): string {
  return json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '') : json;
}

/** JSON.stringify for PostgreSQL: bigints as strings, NUL characters dropped from strings. */
export function toPostgresJson(value: unknown): string {
  return withoutNul(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? 'null');
}
