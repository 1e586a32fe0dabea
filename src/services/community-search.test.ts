/**
 * Forum search plans (community-search.ts): the pure plan choice, filter shares in the estimate,
 * and on a small database every plan against a brute-force answer, hidden posts never returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import {
  choosePlan,
  RANK_ALL_MAX,
  RANK_CANDIDATES,
  RANK_WINDOW_MAX,
  searchPosts,
  WALK_THRESHOLD,
} from './community-search.ts';
import { selectivity } from './community-search-stats.ts';

const S = { rows: 1_000_000, maxId: 1_000_000 };
const any = { sort: 'relevance' as const };

describe('search plan choice', () => {
  it('newest first: GIN for rare terms, a bounded walk of the newest posts for common ones', () => {
    expect(choosePlan(S, WALK_THRESHOLD / S.rows / 2, { sort: 'newest' }, 21).plan).toBe('gin');
    const walk = choosePlan(S, 0.05, { sort: 'newest' }, 21);
    expect(walk.plan).toBe('walk');
    // the walk reads at most 4× the posts expected to hold the page
    expect(walk.lowest).toBe(S.maxId - Math.ceil((21 / 0.05) * 4));
  });

  it('relevance: every match when few, the most recent candidates when many', () => {
    expect(choosePlan(S, RANK_ALL_MAX / S.rows, any, 21).plan).toBe('gin');
    expect(choosePlan(S, 0.5, { ...any, authorId: 'u' }, 21).plan).toBe('gin');
    const common = choosePlan(S, 0.5, any, 21);
    expect(common).toMatchObject({ plan: 'window', candidates: RANK_CANDIDATES, rowByRow: true });
    expect(common.lowest).toBe(S.maxId - Math.ceil((RANK_CANDIDATES / 0.5) * 1.2));
  });

  it('caps the relevance window for common words while it still holds two pages of candidates', () => {
    // 2% of posts: 6,000 posts would hold 100 candidates; 3,000 hold about 60 (≥ 42)
    expect(choosePlan(S, 0.02, any, 21).lowest).toBe(S.maxId - RANK_WINDOW_MAX);
    // 0.5%: 3,000 posts would hold 15 — the window grows to hold the candidates, read via GIN
    const sparse = choosePlan(S, 0.005, any, 21);
    expect(sparse.lowest).toBe(S.maxId - Math.ceil((RANK_CANDIDATES / 0.005) * 1.2));
    expect(sparse.rowByRow).toBe(false);
    // deep pages need more candidates than the first page
    expect(choosePlan(S, 0.5, any, 201).candidates).toBe(402);
  });

  it('counts the category and solved filters in the estimate', () => {
    const stats = {
      freq: new Map([['printer', 0.2]]),
      floor: 0.0001,
      shares: new Map([
        ['category_id:3', 0.25],
        ['solved:t', 0.4],
        ['solved:f', 0.6],
      ]),
    };
    expect(selectivity(stats, ['printer'], false)).toBeCloseTo(0.2);
    expect(selectivity(stats, ['printer'], false, { categoryId: 3 })).toBeCloseTo(0.05);
    expect(selectivity(stats, ['printer'], false, { categoryId: 3, solved: false })).toBeCloseTo(0.03);
    expect(selectivity(stats, ['printer'], false, { categoryId: 9 })).toBeCloseTo(0.002);
    expect(selectivity(stats, ['printer', 'zzz'], true)).toBeCloseTo(0.2001);
  });
});

describe('search plans on a database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const POSTS = 4_000;

  beforeAll(async () => {
    database = await createTestDatabase();
    const q = (text: string) => database.pool.query(text);
    await q(`insert into users (email, display_name, role, password_hash)
             values ('s1@search.test', 'Searcher', 'member', 'x')`);
    await q(`insert into community_categories (slug, name, description) values ('c', 'C', '')`);
    await q(`insert into community_topics (id, category_id, title, slug, author_id)
             overriding system value
             select g, (select min(id) from community_categories), 'Topic ' || g, 'topic-' || g,
               (select id from users where email = 's1@search.test')
             from generate_series(1, ${POSTS / 10}) g`);
    // every post says "common"; every 40th also "sparse"; one old post has "common" in its title;
    // every 7th post is hidden (not searchable)
    await q(`insert into community_posts (id, topic_id, post_number, author_id, body, body_html, category_id,
               title, searchable, solved)
             overriding system value
             select g, 1 + (g - 1) / 10, 1 + (g - 1) % 10, (select id from users where email = 's1@search.test'),
               'common words here ' || case when g % 40 = 0 then 'sparse ' else '' end || 'post' || g,
               '', (select min(id) from community_categories),
               case when g = 5 then 'Common title' end, g % 7 <> 0, g % 2 = 0
             from generate_series(1, ${POSTS}) g`);
    await q('analyze community_posts');
  });
  afterAll(async () => database?.drop());

  const expected = async (word: string, order: string) =>
    (
      await database.pool.query<{ id: number }>(
        `select id from community_posts where searchable and search @@ to_tsquery('english', $1) order by ${order} limit 20`,
        [word],
      )
    ).rows.map((r) => Number(r.id));

  it('newest first walks the newest posts and agrees with a full search', async () => {
    const res = await searchPosts(database.db, { q: 'common', sort: 'newest', page: 1 });
    expect(res.plan).toBe('walk');
    expect(res.hits.map((h) => h.id)).toEqual(await expected('common', 'id desc'));
    expect(res.hits.every((h) => h.id % 7 !== 0)).toBe(true);
    expect(res.hasMore).toBe(true);
  });

  it('ranks common words among the most recent matches only (documented trade-off)', async () => {
    const res = await searchPosts(database.db, { q: 'common', sort: 'relevance', page: 1 });
    expect(res).toMatchObject({ plan: 'window', capped: true });
    // the old title match ranks first in a full search but is outside the recent candidates
    expect(
      (
        await expected(
          'common',
          `ts_rank('{0.1, 0.2, 0.4, 1.0}', search, to_tsquery('english', 'common')) desc, id desc`,
        )
      )[0],
    ).toBe(5);
    expect(res.hits.map((h) => h.id)).not.toContain(5);
    const newest = await expected('common', 'id desc');
    expect(Math.min(...res.hits.map((h) => h.id))).toBeGreaterThanOrEqual(newest[19]! - RANK_CANDIDATES * 2);
    expect(res.hits.every((h) => h.id % 7 !== 0)).toBe(true);
  });

  it('ranks every match of a rarer word, so the title match wins', async () => {
    const res = await searchPosts(database.db, { q: 'sparse', sort: 'relevance', page: 1 });
    expect(res).toMatchObject({ plan: 'gin', capped: false });
    expect(res.hits.map((h) => h.id)).toEqual(await expected('sparse', 'id desc'));
    const titled = await searchPosts(database.db, { q: 'title', sort: 'relevance', page: 1 });
    expect(titled.hits.map((h) => h.id)).toEqual([5]);
    expect(titled.hits[0]!.headline).toContain('post5');
  });

  it('serves repeated searches from prepared statements with the same answers', async () => {
    const first = await searchPosts(database.db, { q: 'common', sort: 'newest', page: 2, solved: true });
    expect(first.hits.every((h) => h.solved)).toBe(true);
    // past PostgreSQL's five custom plans, the generic plan answers the same
    for (let i = 0; i < 7; i++) {
      const again = await searchPosts(database.db, { q: 'common', sort: 'newest', page: 2, solved: true });
      expect(again.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    }
    const solvedNewest = (
      await database.pool.query<{ id: number }>(
        `select id from community_posts where searchable and solved and search @@ to_tsquery('english', 'common')
         order by id desc offset 20 limit 20`,
      )
    ).rows.map((r) => Number(r.id));
    expect(first.hits.map((h) => h.id)).toEqual(solvedNewest);
  });
});
