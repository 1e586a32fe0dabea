/**
 * Seeds a forum for benchmarks with set-based SQL (generate_series), not one insert per row:
 * members, categories, topics and N posts whose words follow a Zipf-like distribution
 * (word rank k drawn log-uniformly, P(k) ∝ 1/k) over a 13,824-word synthetic vocabulary,
 * plus one realistic topic with 50 replies rendered through the normal Markdown path.
 */
import type pg from 'pg';
import { renderMarkdown } from '../src/lib/markdown.ts';

const SYL = [
  'ba',
  'ko',
  'ri',
  'tu',
  'ne',
  'lo',
  'ma',
  'vi',
  'de',
  'su',
  'pa',
  'go',
  'zi',
  'fo',
  'ha',
  'ju',
  'ke',
  'wo',
  'xa',
  'ry',
  'qu',
  'ti',
  'mo',
  'ca',
];
const V = SYL.length ** 3;

/** SQL expression: the word with rank k (1-based). */
const wordSql = (k: string) => {
  const arr = `array[${SYL.map((s) => `'${s}'`).join(',')}]`;
  return `(${arr})[(${k} % 24) + 1] || (${arr})[((${k} / 24) % 24) + 1] || (${arr})[((${k} / 576) % 24) + 1] || 'n'`;
};

/** The word with rank k, as the generator spells it. */
export function wordOfRank(k: number): string {
  return `${SYL[k % 24]}${SYL[Math.floor(k / 24) % 24]}${SYL[Math.floor(k / 576) % 24]}n`;
}

export async function seedForum(
  client: pg.Client,
  opts: { posts: number; postsPerTopic: number; log: (m: string) => void },
): Promise<{ topicId: number; slug: string }> {
  const topics = Math.ceil(opts.posts / opts.postsPerTopic);
  const t0 = Date.now();
  await client.query(`set maintenance_work_mem = '512MB'`);
  await client.query(`insert into users (email, display_name, role, password_hash, email_verified_at)
    select 'member' || g || '@bench.test', 'Member ' || g, 'member', 'x', now() from generate_series(1, 2000) g`);
  await client.query(`insert into community_profiles (user_id, username, reputation, approved_posts)
    select id, 'member' || substring(email from 'member(\\d+)@'), (random() * 500)::int, 5 from users where email like '%@bench.test'`);
  await client.query(`insert into community_categories (slug, name, description, position)
    select 'cat-' || g, 'Category ' || g, 'Questions about area ' || g, g from generate_series(1, 8) g`);
  await client.query(
    `create temp table bench_users as select row_number() over () as n, id from users where email like '%@bench.test'`,
  );
  await client.query('create unique index on bench_users (n)');
  await client.query('analyze bench_users');
  const title = `initcap(${wordSql(`floor(exp(random() * ln(${V})))::int`)} || ' ' || ${wordSql(`floor(exp(random() * ln(${V})))::int`)} || ' question ' || g)`;
  await client.query(`insert into community_topics (id, category_id, title, slug, author_id, reply_count, score, last_posted_at, created_at, tags)
    overriding system value
    select g, 1 + (g % 8), ${title}, 'topic-' || g, (select id from bench_users where n = 1 + (g % 2000)),
      ${opts.postsPerTopic - 1}, (random() * 20)::int,
      now() - ((${topics} - g) * interval '1 minute'), now() - ((${topics} - g) * interval '1 minute'),
      case when g % 5 = 0 then array['setup'] else array['billing'] end
    from generate_series(1, ${topics}) g`);
  await client.query(`select setval(pg_get_serial_sequence('community_topics', 'id'), ${topics})`);
  opts.log(`topics: ${topics} in ${Date.now() - t0} ms`);
  // Posts: bodies are two halves drawn from a pool of 100k generated word runs, so the text is
  // parsed and stemmed once per pool entry (to_tsvector) and each post's search vector is the
  // tsvector concatenation of its halves (positions shift exactly as for the joined text).
  // Triggers (search trigger and foreign-key checks) are off for the bulk insert: the rows are
  // consistent by construction and `search` is filled here. The GIN index is built afterwards.
  const pool = Math.min(100_000, Math.max(1_000, opts.posts));
  let t = Date.now();
  await client.query(`create temp table bench_half as
    select h, b.body, to_tsvector('english', b.body) as vec
    from generate_series(0, ${pool - 1}) h
    cross join lateral (
      select string_agg(${wordSql(`floor(exp(random() * ln(${V})))::int`)}, ' ') as body
      from generate_series(1, 10 + (h % 15)) w where h >= 0
    ) b`);
  await client.query('create unique index on bench_half (h)');
  await client.query('analyze bench_half');
  opts.log(`${pool} body halves in ${Date.now() - t} ms`);
  await client.query('drop index if exists community_posts_search_idx');
  await client.query(`set session_replication_role = replica`);
  const chunk = 250_000;
  for (let start = 1; start <= opts.posts; start += chunk) {
    const end = Math.min(opts.posts, start + chunk - 1);
    t = Date.now();
    await client.query(`insert into community_posts (id, topic_id, post_number, author_id, body, body_html, category_id, title, searchable, created_at, solved, search)
      overriding system value
      select g, t.id, x.pn, u.id, a.body || ' ' || b.body, '<p>' || a.body || ' ' || b.body || '</p>',
        t.category_id, case when x.pn = 1 then t.title end, true,
        t.created_at + x.pn * interval '1 second', (t.id % 3 = 0),
        case when x.pn = 1 then setweight(to_tsvector('english', t.title), 'A') else ''::tsvector end
          || setweight(a.vec || b.vec, 'C')
      from generate_series(${start}, ${end}) g
      cross join lateral (select 1 + (g - 1) / ${opts.postsPerTopic} as tid, 1 + (g - 1) % ${opts.postsPerTopic} as pn) x
      join community_topics t on t.id = x.tid
      join bench_users u on u.n = 1 + (g * 7 % 2000)
      join bench_half a on a.h = (g::bigint * 7919) % ${pool}
      join bench_half b on b.h = (g::bigint * 104729 + g / ${pool}) % ${pool}`);
    opts.log(`posts ${start}..${end} in ${Date.now() - t} ms`);
  }
  await client.query(`set session_replication_role = origin`);
  await client.query(`select setval(pg_get_serial_sequence('community_posts', 'id'), ${opts.posts})`);
  t = Date.now();
  await client.query(
    'create index community_posts_search_idx on community_posts using gin (search) where searchable',
  );
  opts.log(`GIN index in ${Date.now() - t} ms`);
  t = Date.now();
  await client.query('vacuum analyze community_posts');
  await client.query('analyze community_topics');
  opts.log(`vacuum analyze in ${Date.now() - t} ms`);

  // A realistic topic with 50 replies for the topic-page benchmark.
  const para =
    'My **printer** stops after the firmware update. I tried `reset` and the [guide](https://example.com/guide).\n\n> quoted from @member1\n\n- step one\n- step two';
  const html = renderMarkdown(para);
  const { rows } = await client.query<{ id: number }>(
    `insert into community_topics (category_id, title, slug, author_id, reply_count, score, tags)
     values (1, 'Printer stops after the firmware update', 'printer-stops-after-the-firmware-update',
       (select id from bench_users where n = 1), 50, 12, array['printer','firmware']) returning id`,
  );
  const topicId = rows[0]!.id;
  await client.query(
    `insert into community_posts (topic_id, post_number, author_id, body, body_html, category_id, title, searchable)
     select $1, n, (select id from bench_users where n = 1 + (g.n % 40)), $2, $3, 1,
       case when n = 1 then 'Printer stops after the firmware update' end, true
     from generate_series(1, 51) g(n)`,
    [topicId, para, html],
  );
  return { topicId, slug: 'printer-stops-after-the-firmware-update' };
}
