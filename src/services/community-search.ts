/**
 * Forum full-text search over `community_posts.search` (tsvector, partial GIN index on searchable
 * posts), websearch syntax, highlighted excerpts built here from the returned text
 * (community-search-excerpt.ts, not ts_headline), filters by category, author and solved.
 *
 * A plain "GIN + ORDER BY" is slow at a million posts for common terms (the bitmap holds most of
 * the table) and for rare terms ordered newest-first (the planner may walk the whole primary key).
 * So the plan is chosen per query from the term frequencies PostgreSQL's ANALYZE already keeps
 * (pg_stats.most_common_elems of the tsvector column, re-read in the background every minute; the
 * query itself reaches the planner through an InitPlan so planning skips those 10,000 elements):
 *
 * - newest first: few expected matches → GIN bitmap, then sort the matches by id; many expected
 *   matches → walk the primary key backwards (id order = time order) testing each row with
 *   ts_match_vq (not indexable, so the planner cannot switch plans) until the page is full.
 * - relevance: rank (ts_rank with title A / body C weights, plus a small vote bonus) over a capped
 *   candidate set: every match when there are few; otherwise the matches among the most recent
 *   posts, in a primary-key window sized from the frequency to hold ~RANK_CANDIDATES matches.
 *   Relevance for very common words is thus "best among the recent matches" — the trade-off that
 *   keeps p99 bounded — and the page says so.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { buildExcerpt, MARK_START, MARK_STOP } from './community-search-excerpt.ts';

export interface SearchInput {
  q: string;
  sort: 'relevance' | 'newest';
  categoryId?: number;
  authorId?: string;
  solved?: boolean;
  page: number;
  perPage?: number;
}

export interface SearchHit {
  id: number;
  topicId: number;
  postNumber: number;
  topicTitle: string;
  topicSlug: string;
  /** HTML: escaped excerpt with <mark> around matches. */
  headline: string;
  /** The same excerpt as plain text with \u0001…\u0002 around matches (for other renderers). */
  excerpt: string;
  createdAt: Date;
  solved: boolean;
  authorName: string | null;
}

export interface SearchResult {
  hits: SearchHit[];
  hasMore: boolean;
  /** Estimated number of matching posts (from statistics, not counted). */
  estimate: number;
  plan: 'gin' | 'walk' | 'window' | 'none';
  capped: boolean;
}

const RANK_CANDIDATES = 100;
/** Characters of a post's text sent back for its excerpt. */
const EXCERPT_SOURCE_CHARS = 1500;

/** Escapes the post text and turns the markers into <mark> (the body is raw Markdown: never trust it). */
export function highlight(raw: string): string {
  const esc = raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return esc.split(MARK_START).join('<mark>').split(MARK_STOP).join('</mark>');
}
/** Above this many expected matches, newest-first walks the primary key instead of the GIN bitmap. */
const WALK_THRESHOLD = 3_000;
/** Up to this many expected matches, relevance ranks every match. */
const RANK_ALL_MAX = 1_500;

interface Stats {
  at: number;
  rows: number;
  maxId: number;
  freq: Map<string, number>;
  floor: number;
}

const statsCache = new WeakMap<object, { value?: Stats; loading?: Promise<Stats> }>();
/** Statistics older than this are refreshed in the background (ANALYZE runs far less often). */
const STATS_MAX_AGE_MS = 60_000;

/**
 * Term frequencies for plan choice, loaded once per process and database handle: concurrent first
 * searches share one load, and later refreshes run in the background while searches keep using
 * the previous figures (a search never waits for a refresh).
 */
function stats(db: Db): Promise<Stats> | Stats {
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
  const freq = new Map<string, number>();
  const elems = row.elems ?? [];
  const freqs = (row.freqs ?? []).map(Number);
  for (const [i, e] of elems.entries()) freq.set(e, freqs[i] ?? 0);
  // tsvector statistics end with the minimum and maximum frequency: unlisted lexemes are rarer
  const floor = freqs.length > 2 ? (freqs[freqs.length - 2] ?? 0.0001) / 2 : 0.0001;
  return { at: Date.now(), rows: Math.max(Number(row.rows), 1), maxId: Number(row.max_id), freq, floor };
}

const queryCache = new Map<string, { text: string; lexemes: string[]; or: boolean }>();

async function parseQuery(db: Db, q: string) {
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

/** Estimated fraction of posts matching (min over AND terms, sum over OR terms). */
function selectivity(s: Stats, lexemes: string[], or: boolean): number {
  if (!lexemes.length) return 0;
  const f = lexemes.map((l) => s.freq.get(l) ?? s.floor);
  return Math.min(1, or ? f.reduce((a, b) => a + b, 0) : Math.min(...f));
}

type PageRow = {
  id: number;
  topic_id: number;
  post_number: number;
  title: string;
  slug: string;
  body: string;
  created_at: Date;
  solved: boolean;
  author: string | null;
  found: number;
};

/** Runs the candidate query, then decorates one page of it (topic, author, text for the excerpt). */
async function fetchPage(db: Db, ids: SQL, offset: number, perPage: number): Promise<PageRow[]> {
  const res = await db.execute<PageRow>(sql`
    with m as materialized (${ids}), page as (select * from m order by rank desc, id desc offset ${offset} limit ${perPage})
    select p.id, p.topic_id, p.post_number, t.title, t.slug, p.created_at, p.solved, u.display_name as author,
           (select count(*) from m)::int as found, left(p.body, ${EXCERPT_SOURCE_CHARS}) as body
    from page join community_posts p on p.id = page.id
    join community_topics t on t.id = p.topic_id
    left join users u on u.id = p.author_id
    order by page.rank desc, page.id desc`);
  return res.rows;
}

export async function searchPosts(db: Db, input: SearchInput): Promise<SearchResult> {
  const perPage = input.perPage ?? 20;
  const offset = (Math.max(1, input.page) - 1) * perPage;
  const want = offset + perPage + 1;
  const parsed = input.q.trim() ? await parseQuery(db, input.q.trim().slice(0, 200)) : undefined;
  if (!parsed?.text) return { hits: [], hasMore: false, estimate: 0, plan: 'none', capped: false };
  const s = await stats(db);
  const f = selectivity(s, parsed.lexemes, parsed.or);
  const estimate = Math.round(f * s.rows);
  // an InitPlan hides the constant from the planner: estimating `@@` selectivity reads and
  // deconstructs the column's 10,000 most common elements on every plan (1–4 ms); the plan
  // shapes below are chosen here from the same statistics, so the planner's guess is not needed
  const q = sql`(select ${parsed.text}::tsquery)`;
  const filters: SQL[] = [sql`p.searchable`];
  if (input.categoryId) filters.push(sql`p.category_id = ${input.categoryId}`);
  if (input.authorId) filters.push(sql`p.author_id = ${input.authorId}`);
  if (input.solved !== undefined) filters.push(sql`p.solved = ${input.solved}`);
  const where = sql.join(filters, sql` and `);
  // Filters shrink the matching set: walking stays cheap only for unfiltered or author queries.
  const useWalk = estimate > WALK_THRESHOLD && !input.categoryId && input.solved === undefined;
  const rank = sql`(ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search, ${q}) + least(p.score, 50) * 0.002)`;
  const gin = (order: 'newest' | 'rank') =>
    order === 'newest'
      ? sql`select p.id, 0::real as rank from community_posts p where ${where} and p.search @@ ${q}
            order by p.id + 0 desc limit ${want}`
      : sql`select p.id, ${rank} as rank from community_posts p where ${where} and p.search @@ ${q}
            order by rank desc, p.id desc limit ${want}`;
  let plan: SearchResult['plan'];
  let capped = false;
  let ids: SQL;
  let lowest = 0;
  const order = input.sort === 'newest' ? 'newest' : 'rank';
  if (order === 'newest' && useWalk) {
    // walk the newest posts; the window bounds the walk even when statistics are off
    plan = 'walk';
    lowest = Math.max(0, s.maxId - Math.ceil((want / Math.max(f, 1e-6)) * 4));
    ids = sql`select p.id, 0::real as rank from community_posts p
              where ${where} and p.id > ${lowest} and ts_match_vq(p.search, ${q})
              order by p.id desc limit ${want}`;
  } else if (order === 'rank' && estimate > RANK_ALL_MAX && !input.authorId) {
    plan = 'window';
    capped = true;
    const window = Math.ceil((RANK_CANDIDATES / Math.max(f, 1e-6)) * 1.2);
    lowest = Math.max(0, s.maxId - window);
    // small windows: test each recent row; large windows: GIN bitmap AND primary-key range
    const match = window <= 20_000 ? sql`ts_match_vq(p.search, ${q})` : sql`p.search @@ ${q}`;
    ids = sql`select id, rank from (
                select p.id, ${rank} as rank from community_posts p
                where ${where} and p.id > ${lowest} and ${match}
                order by p.id desc limit ${RANK_CANDIDATES * 2}
              ) c order by rank desc, id desc limit ${want}`;
  } else {
    plan = 'gin';
    ids = gin(order);
  }
  let rows = await fetchPage(db, ids, offset, perPage);
  if (lowest > 0 && (rows[0]?.found ?? 0) < want) {
    // the window held too few matches (the term is rarer than estimated): search everything
    plan = 'gin';
    capped = false;
    rows = await fetchPage(db, gin(order), offset, perPage);
  }
  const hits: SearchHit[] = rows.map((r) => {
    const excerpt = buildExcerpt(r.body, parsed.lexemes);
    return {
      id: Number(r.id),
      topicId: Number(r.topic_id),
      postNumber: r.post_number,
      topicTitle: r.title,
      topicSlug: r.slug,
      headline: excerpt.html,
      excerpt: excerpt.marked,
      createdAt: new Date(r.created_at),
      solved: r.solved,
      authorName: r.author,
    };
  });
  const found = rows[0]?.found ?? 0;
  return { hits, hasMore: found > offset + perPage, estimate: Math.max(estimate, found), plan, capped };
}

export interface SimilarTopicRow {
  id: number;
  slug: string;
  title: string;
  solved: boolean;
}

/**
 * Topics whose question resembles a title being written (deflection): the title's distinctive
 * lexemes (very common ones dropped, rarest four kept) OR-ed, matched against questions (first
 * posts), ranked, among a recent window sized to hold a bounded number of candidates.
 */
export async function similarTopics(db: Db, title: string, limit = 5): Promise<SimilarTopicRow[]> {
  const s = await stats(db);
  const res = await db.execute<{ lx: string[] }>(
    sql`select array(select lexeme from unnest(to_tsvector('english', ${title.slice(0, 150)}))) as lx`,
  );
  const lexemes = (res.rows[0]?.lx ?? [])
    .map((l) => ({ l, f: s.freq.get(l) ?? s.floor }))
    .filter((x) => x.f * s.rows <= 20_000)
    .sort((a, b) => a.f - b.f)
    .slice(0, 4);
  if (!lexemes.length) return [];
  const tsq = lexemes.map((x) => `'${x.l.replace(/'/g, "''")}'`).join(' | ');
  const f = lexemes.reduce((a, x) => a + x.f, 0);
  const lowest = Math.max(0, s.maxId - Math.ceil(20_000 / Math.max(f, 1e-6)));
  const rows = await db.execute<{ id: number; slug: string; title: string; solved: boolean }>(sql`
    select t.id, t.slug, t.title, t.accepted_post_id is not null as solved
    from community_posts p join community_topics t on t.id = p.topic_id
    where p.searchable and p.post_number = 1 and p.id > ${lowest} and p.search @@ (select ${tsq}::tsquery)
      and t.visibility = 'public' and t.status = 'visible'
    order by ts_rank(p.search, (select ${tsq}::tsquery)) desc, p.id desc limit ${limit}`);
  return rows.rows.map((r) => ({ ...r, id: Number(r.id) }));
}
