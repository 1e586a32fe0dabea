/**
 * JSON for PostgreSQL's json/jsonb input. jsonb refuses two escapes that JSON.stringify writes: `\u0000`
 * (PostgreSQL text cannot hold U+0000) and a lone UTF-16 surrogate such as `\ud83d` (an emoji cut in
 * half, common in truncated platform text). One of them anywhere in a post would make a whole batch
 * fail, and a channel that re-fetches it stall. NUL characters are dropped and lone surrogates become
 * U+FFFD (as any UTF-8 encoder does). A literal backslash followed by such text (escaped in JSON as
 * `\\u0000`) is text, and is kept.
 */

/**
 * `\u0000` and surrogate escapes preceded by an even number of backslashes (so not an escaped
 * backslash's text). JSON.stringify writes surrogate pairs as characters, so every surrogate escape in
 * its output is a lone one.
 */
const UNSAFE_ESCAPE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/g;

/** JSON text (JSON.stringify output) that jsonb accepts: NUL dropped, lone surrogates → U+FFFD. */
export function postgresSafeJson(json: string): string {
  return json.includes('\\u')
    ? json.replace(UNSAFE_ESCAPE, (_m, code) => (code === '0000' ? '' : '\\ufffd'))
    : json;
}

/** JSON.stringify for PostgreSQL: bigints as strings, then postgresSafeJson. */
export function toPostgresJson(value: unknown): string {
  return postgresSafeJson(
    JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? 'null',
  );
}
