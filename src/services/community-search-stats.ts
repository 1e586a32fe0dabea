/**
 * What forum search needs besides the query itself (community-search.ts):
 *
 * - term frequencies for plan choice, from the statistics ANALYZE keeps on the tsvector column
 *   (pg_stats.most_common_elems), loaded once per process and refreshed in the background;
 * - parsed queries (websearch_to_tsquery), cached by query text;
 * - searches run through `preparedRows` (src/db/prepared.ts), so PostgreSQL parses and plans each
 *   query shape once per connection instead of on every search. Every value is a parameter (the
 *   statement text depends only on the plan shape and which filters are set), and the shapes leave
 *   the planner a single sensible plan, so a generic plan is as good as a custom one.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export interface Stats {
  at: number;
  rows: number;
  maxId: number;
  freq: Map<string, number>;
  floor: number;
  /** Share of posts per 'category_id:<id>' and 'solved:t' / 'solved:f', from pg_stats. */
  shares: Map<string, number>;
}

const statsCache = new WeakMap<object, { value?: Stats; loading?: Promise<Stats> }>();
/** Statistics older than this are refreshed in the background (ANALYZE runs far less often). */
const STATS_MAX_AGE_MS = 60_000;

/**
 * Term frequencies for plan choice, loaded once per process and database handle: concurrent first
 * searches share one load, and later refreshes run in the background while searches keep using
 * the previous figures (a search never waits for a refresh).
 */
export function stats(db: Db): Promise<Stats> | Stats {
  let entry = statsCache.get(db);
  if (!entry) {
    entry = {};
    statsCache.set(db, entry);
  }
  const { value } = entry;
  if (value && Date.now() - value.at < STATS_MAX_AGE_MS) return value;
  let loading = entry.loading;
  if (!loading) {
    const e = entry;
    loading = loadStats(db)
      .then((s) => {
        e.value = s;
        return s;
      })
      .finally(() => {
        e.loading = undefined;
      });
    e.loading = loading;
    // a failed background refresh keeps the old figures; a failed first load fails the search
    if (value) loading.catch(() => {});
  }
  return value ?? loading;
}

async function loadStats(db: Db): Promise<Stats> {
  const res = await db.execute<{
    elems: string[] | null;
    freqs: number[] | null;
    rows: number;
    max_id: number;
  }>(sql`
    select s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs,
           greatest((select reltuples from pg_class where relname = 'community_posts'), 0)::float8 as rows,
           coalesce((select max(id) from community_posts), 0)::float8 as max_id
    from (select 1) one
    left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'community_posts'
      and s.attname = 'search'`);
  const row = res.rows[0]!;
  const shares = new Map<string, number>();
  const cols = await db.execute<{ attname: string; vals: string[] | null; freqs: number[] | null }>(sql`
    select attname, most_common_vals::text::text[] as vals, most_common_freqs as freqs from pg_stats
    where schemaname = current_schema() and tablename = 'community_posts' and attname in ('category_id', 'solved')`);
  for (const c of cols.rows) {
    for (const [i, v] of (c.vals ?? []).entries()) shares.set(`${c.attname}:${v}`, Number(c.freqs?.[i] ?? 0));
  }
  const freq = new Map<string, number>();
  const elems = row.elems ?? [];
  const freqs = (row.freqs ?? []).map(Number);
  for (const [i, e] of elems.entries()) freq.set(e, freqs[i] ?? 0);
  // tsvector statistics end with the minimum and maximum frequency: unlisted lexemes are rarer
  const floor = freqs.length > 2 ? (freqs[freqs.length - 2] ?? 0.0001) / 2 : 0.0001;
  return {
    at: Date.now(),
    rows: Math.max(Number(row.rows), 1),
    maxId: Number(row.max_id),
    freq,
    floor,
    shares,
  };
}

export interface ParsedQuery {
  /** The tsquery as text ('' when the query has no searchable word). */
  text: string;
  /** Positive lexemes (for plan choice and highlighting). */
  lexemes: string[];
  or: boolean;
}

const queryCache = new Map<string, ParsedQuery>();

export async function parseQuery(db: Db, q: string): Promise<ParsedQuery> {
  const hit = queryCache.get(q);
  if (hit) return hit;
  const res = await db.execute<{ t: string }>(sql`select websearch_to_tsquery('english', ${q})::text as t`);
  const text = res.rows[0]?.t ?? '';
  const lexemes = [...text.matchAll(/(!?)'((?:[^']|'')+)'/g)]
    .filter((m) => !m[1])
    .map((m) => m[2]!.replace(/''/g, "'"));
  const parsed = { text, lexemes, or: text.includes('|') };
  if (queryCache.size > 2000) queryCache.clear();
  queryCache.set(q, parsed);
  return parsed;
}

/**
 * Estimated fraction of posts matching: min over AND terms, sum over OR terms, times the share of
 * posts in the category and solved state asked for (independence assumed; an unlisted category is
 * taken as a 1% share).
 */
export function selectivity(
  s: Pick<Stats, 'freq' | 'floor' | 'shares'>,
  lexemes: string[],
  or: boolean,
  filters: { categoryId?: number; solved?: boolean } = {},
): number {
  if (!lexemes.length) return 0;
  const f = lexemes.map((l) => s.freq.get(l) ?? s.floor);
  let sel = Math.min(1, or ? f.reduce((a, b) => a + b, 0) : Math.min(...f));
  if (filters.categoryId) sel *= s.shares.get(`category_id:${filters.categoryId}`) ?? 0.01;
  if (filters.solved !== undefined) {
    // pg_stats spells booleans 't' and 'f'
    const no = s.shares.get('solved:f');
    const yes = s.shares.get('solved:t') ?? (no === undefined ? 0.5 : 1 - no);
    sel *= filters.solved ? yes : 1 - yes;
  }
  return sel;
}
