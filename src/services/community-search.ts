/**
 * Forum full-text search over `community_posts.search` (tsvector, partial GIN index on searchable
 * posts), websearch syntax, highlighted excerpts built here from the returned text
 * (community-search-excerpt.ts, not ts_headline), filters by category, author and solved.
 *
 * A plain "GIN + ORDER BY" is slow at a million posts for common terms (the bitmap holds most of
 * the table) and for rare terms ordered newest-first (the planner may walk the whole primary key).
 * So the plan is chosen per query (`choosePlan`) from the term frequencies PostgreSQL's ANALYZE
 * already keeps (pg_stats.most_common_elems of the tsvector column, with the category and solved
 * shares; community-search-stats.ts). The query reaches the planner through an InitPlan so planning
 * skips those 10,000 elements, and each plan shape runs as a prepared statement whose generic plan
 * PostgreSQL soon reuses (see `int`):
 *
 * - newest first: few expected matches → GIN bitmap, then sort the matches by id; many expected
 *   matches → walk the primary key backwards (id order = time order) testing each row with
 *   ts_match_vq (not indexable, so the planner cannot switch plans) until the page is full.
 * - relevance: rank (ts_rank with title A / body C weights, plus a small vote bonus) over a capped
 *   candidate set: every match when there are few; otherwise the matches among the most recent
 *   posts, in a primary-key window sized from the frequency to hold ~RANK_CANDIDATES matches
 *   (capped at RANK_WINDOW_MAX posts while that still holds two pages of candidates). Relevance for very common words is thus "best among the recent matches" — the trade-off that
 *   keeps p99 bounded — and the page says so.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { preparedRows } from '../db/prepared.ts';
import { buildExcerpt, MARK_START, MARK_STOP } from './community-search-excerpt.ts';
import { parseQuery, type Stats, selectivity, stats } from './community-search-stats.ts';

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

/** Relevance ranks at most about this many of the most recent matches of a common query. */
export const RANK_CANDIDATES = 100;
/**
 * Relevance reads at most this many recent posts for its candidates when that still yields at
 * least twice a page of them (very common words): fewer candidates, bounded work.
 */
export const RANK_WINDOW_MAX = 3_000;
/** Above this many expected matches, newest-first walks the primary key instead of the GIN bitmap. */
export const WALK_THRESHOLD = 3_000;
/** Up to this many expected matches, relevance ranks every match. */
export const RANK_ALL_MAX = 1_500;
/** Windows up to this many posts are read row by row; larger ones AND the GIN bitmap with the id range. */
const ROW_WINDOW_MAX = 20_000;
/** Characters of a post's text sent back for its excerpt. */
const EXCERPT_SOURCE_CHARS = 1500;

/** Escapes the post text and turns the markers into <mark> (the body is raw Markdown: never trust it). */
export function highlight(raw: string): string {
  const esc = raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return esc.split(MARK_START).join('<mark>').split(MARK_STOP).join('</mark>');
}

export interface PlanChoice {
  plan: 'gin' | 'walk' | 'window';
  /** Only posts with a larger id are read (0: no bound). */
  lowest: number;
  /** Candidates ranked (window plan). */
  candidates: number;
  /** Window read row by row (true) or through the GIN bitmap AND the id range (false). */
  rowByRow: boolean;
}

/**
 * The plan for a query matching a fraction `f` of `s.rows` posts, when `want` rows are needed
 * (page end + 1). Pure: the figures come from statistics, nothing is counted.
 */
export function choosePlan(
  s: Pick<Stats, 'rows' | 'maxId'>,
  f: number,
  input: Pick<SearchInput, 'sort' | 'categoryId' | 'authorId' | 'solved'>,
  want: number,
): PlanChoice {
  const estimate = f * s.rows;
  const fr = Math.max(f, 1e-6);
  if (input.sort === 'newest') {
    // `f` includes the category and solved filters; with an author, the walk reads that author's
    // posts newest first (index on author, id)
    if (estimate > WALK_THRESHOLD) {
      // walk the newest posts; the window bounds the walk even when statistics are off
      const lowest = Math.max(0, s.maxId - Math.ceil((want / fr) * 4));
      return { plan: 'walk', lowest, candidates: want, rowByRow: true };
    }
    return { plan: 'gin', lowest: 0, candidates: want, rowByRow: false };
  }
  if (estimate <= RANK_ALL_MAX || input.authorId) {
    return { plan: 'gin', lowest: 0, candidates: want, rowByRow: false };
  }
  const candidates = Math.max(RANK_CANDIDATES, 2 * want);
  let window = Math.ceil((candidates / fr) * 1.2);
  if (window > RANK_WINDOW_MAX && RANK_WINDOW_MAX * fr >= 2 * want) window = RANK_WINDOW_MAX;
  return {
    plan: 'window',
    lowest: Math.max(0, s.maxId - window),
    candidates,
    rowByRow: window <= ROW_WINDOW_MAX,
  };
}

/**
 * A value the planner must not see: with every value behind an InitPlan, a custom plan costs the
 * same as the generic one, so PostgreSQL soon reuses the generic plan of the prepared statement
 * instead of planning each search (the plan shapes are fixed by `choosePlan`).
 */
const int = (n: number) => sql`(select ${Math.trunc(n)}::int8)`;

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

/**
 * Runs the candidate query, then decorates one page of it (topic, author, text for the excerpt).
 * The page size is part of the statement text (callers use one or two sizes) so the planner
 * knows the page is small; `prepared: false` for shapes whose plan depends on their values.
 */
async function fetchPage(
  db: Db,
  ids: SQL,
  offset: number,
  perPage: number,
  prepared = true,
): Promise<PageRow[]> {
  const query = sql`
    with m as materialized (${ids}),
      page as (select * from m order by rank desc, id desc offset ${int(offset)} limit ${sql.raw(String(Math.trunc(perPage)))})
    select p.id, p.topic_id, p.post_number, t.title, t.slug, p.created_at, p.solved,
           (select u.display_name from users u where u.id = p.author_id) as author,
           (select count(*) from m)::int as found, left(p.body, ${sql.raw(String(EXCERPT_SOURCE_CHARS))}) as body
    from page join community_posts p on p.id = page.id
    join community_topics t on t.id = p.topic_id
    order by page.rank desc, page.id desc`;
  return prepared ? preparedRows<PageRow>(db, query, 'fs') : (await db.execute<PageRow>(query)).rows;
}

export async function searchPosts(db: Db, input: SearchInput): Promise<SearchResult> {
  const perPage = input.perPage ?? 20;
  const offset = (Math.max(1, input.page) - 1) * perPage;
  const want = offset + perPage + 1;
  const parsed = input.q.trim() ? await parseQuery(db, input.q.trim().slice(0, 200)) : undefined;
  if (!parsed?.text) return { hits: [], hasMore: false, estimate: 0, plan: 'none', capped: false };
  const s = await stats(db);
  const f = selectivity(s, parsed.lexemes, parsed.or, input);
  const estimate = Math.round(f * s.rows);
  // an InitPlan hides the constant from the planner: estimating `@@` selectivity reads and
  // deconstructs the column's 10,000 most common elements on every plan (1–4 ms); the plan
  // shapes below are chosen here from the same statistics, so the planner's guess is not needed
  const q = sql`(select ${parsed.text}::tsquery)`;
  const filters: SQL[] = [sql`p.searchable`];
  if (input.categoryId) filters.push(sql`p.category_id = (select ${input.categoryId}::int)`);
  if (input.authorId) filters.push(sql`p.author_id = (select ${input.authorId}::uuid)`);
  if (input.solved !== undefined) filters.push(sql`p.solved = (select ${input.solved}::boolean)`);
  const where = sql.join(filters, sql` and `);
  const rank = sql`(ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search, ${q}) + least(p.score, 50) * 0.002)`;
  const gin = (order: 'newest' | 'relevance') =>
    order === 'newest'
      ? sql`select p.id, 0::real as rank from community_posts p where ${where} and p.search @@ ${q}
            order by p.id + 0 desc limit ${int(want)}`
      : sql`select p.id, ${rank} as rank from community_posts p where ${where} and p.search @@ ${q}
            order by rank desc, p.id desc limit ${int(want)}`;
  const choice = choosePlan(s, f, input, want);
  let plan: SearchResult['plan'] = choice.plan;
  let capped = choice.plan === 'window';
  let ids: SQL;
  if (choice.plan === 'walk') {
    ids = sql`select p.id, 0::real as rank from community_posts p
              where ${where} and p.id > ${int(choice.lowest)} and ts_match_vq(p.search, ${q})
              order by p.id desc limit ${int(want)}`;
  } else if (choice.plan === 'window') {
    // small windows: test each recent row; large windows: GIN bitmap AND primary-key range, for
    // which the planner must see the bound (planned for each search, not prepared)
    const match = choice.rowByRow ? sql`ts_match_vq(p.search, ${q})` : sql`p.search @@ ${q}`;
    const bound = choice.rowByRow ? int(choice.lowest) : sql`${choice.lowest}::int8`;
    ids = sql`select id, rank from (
                select p.id, ${rank} as rank from community_posts p
                where ${where} and p.id > ${bound} and ${match}
                order by p.id desc limit ${int(choice.candidates)}
              ) c order by rank desc, id desc limit ${int(want)}`;
  } else {
    ids = gin(input.sort);
  }
  let rows = await fetchPage(db, ids, offset, perPage, choice.rowByRow || choice.plan !== 'window');
  if (choice.lowest > 0 && (rows[0]?.found ?? 0) < want) {
    // the window held too few matches (the term is rarer than estimated): search everything
    plan = 'gin';
    capped = false;
    rows = await fetchPage(db, gin(input.sort), offset, perPage);
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
