/**
 * `npm run bench -- forum [posts]` (default 1,000,000 posts):
 * - its own embedded PostgreSQL, migrated, seeded with set-based SQL (bench/_forum-seed.ts);
 * - a real `earshot web` process over it (DATABASE_URL), anonymous requests only;
 * - topic page with 50 replies: autocannon, 10 connections, 15 s (target ≥ 1,000 req/s, p99 ≤ 25 ms);
 * - search: 10 concurrent searchers for 10 s per case, rare / mid / very common terms (20 different
 *   words each), newest-first and by relevance (target p95 ≤ 50 ms, p99 ≤ 100 ms);
 * - control row: the search page without a query under the same load (no search work: machine load);
 * - peak RSS of the Earshot process under this load (target ≤ 256 MB).
 *
 * FORUM_BENCH_DIR keeps the seeded database between runs (seeding 1M posts takes minutes): it is
 * reused when it holds the requested number of seeded posts, otherwise seeded anew.
 * `npm run bench -- forum 1000000 seed` only seeds (untimed; with FORUM_BENCH_DIR, for later runs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { migrateDatabase } from '../src/db/client.ts';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freePort } from '../test/global-setup.ts';
import { spawnEarshot, waitForReady } from '../test/helpers/process.ts';
import { seedForum, wordOfRank } from './_forum-seed.ts';

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function searchLoad(base: string, paths: string[], seconds: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const until = Date.now() + seconds * 1000;
  const one = (path: string) =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      http
        .get(`${base}${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : -1));
        })
        .on('error', () => resolve(-1));
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const ms = await one(paths[i++ % paths.length]!);
        if (ms < 0) errors++;
        else latencies.push(ms);
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    rps: latencies.length / seconds,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    errors,
  };
}

const BENCH_SLUG = 'printer-stops-after-the-firmware-update';

/** The forum a previous run left in FORUM_BENCH_DIR, when it holds `posts` seeded posts. */
async function seededForum(client: pg.Client, posts: number) {
  const res = await client.query<{ n: number; topic: string | null }>(
    `select (select count(*) from community_posts where id <= $1)::int as n,
            (select max(id) from community_topics where slug = $2)::text as topic`,
    [posts, BENCH_SLUG],
  );
  const row = res.rows[0]!;
  if (row.n !== posts || !row.topic) return undefined;
  console.log(`reusing the seeded forum (${posts.toLocaleString('en')} posts)`);
  return { topicId: Number(row.topic), slug: BENCH_SLUG };
}

async function seed(client: pg.Client, posts: number) {
  const n = await client.query<{ n: number }>('select count(*)::int as n from community_posts');
  if (n.rows[0]!.n > 0) {
    await client.query(
      'truncate community_posts, community_topics, community_categories, community_profiles cascade',
    );
    await client.query(`delete from users where email like '%@bench.test'`);
  }
  const seedStarted = Date.now();
  const seeded = await seedForum(client, {
    posts,
    postsPerTopic: 20,
    log: (m) => console.log(`  seed: ${m}`),
  });
  console.log(
    `seeded ${posts.toLocaleString('en')} posts in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`,
  );
  return seeded;
}

export default async function run(args: string[]): Promise<void> {
  const posts = Number(args[0] ?? 1_000_000);
  // FORUM_BENCH_DIR keeps the seeded database between runs (seeding takes minutes).
  const keep = process.env.FORUM_BENCH_DIR;
  if (keep) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'earshot-bench-forum-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  let child: ReturnType<typeof spawnEarshot> | undefined;
  try {
    await createDatabaseIfMissing(server.url, 'forum_bench');
    const url = new URL(server.url);
    url.pathname = '/forum_bench';
    await migrateDatabase(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const { topicId, slug } = (await seededForum(client, posts)) ?? (await seed(client, posts));
    if (args[1] === 'seed') {
      await client.end();
      return;
    }
    const counts = async (ranks: number[]) => {
      const words = ranks.map(wordOfRank);
      const res = await client.query<{ n: number }>(
        `select count(*)::int as n from community_posts where searchable and search @@ plainto_tsquery('english', $1)`,
        [words[0]],
      );
      return { words, firstCount: res.rows[0]!.n };
    };
    const classes = {
      rare: await counts(Array.from({ length: 20 }, (_, i) => 8000 + i * 200)),
      mid: await counts(Array.from({ length: 20 }, (_, i) => 100 + i * 15)),
      common: await counts(Array.from({ length: 20 }, (_, i) => 1 + (i % 5))),
    };
    await client.end();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = spawnEarshot(['web'], {
      DATABASE_URL: url.toString(),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      EARSHOT_DATA_DIR: join(dir, 'app'),
    });
    await waitForReady(base, child);
    const pid = child.child.pid!;
    let peak = rssMb(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 200);

    const topicPath = `/community/t/${slug}/${topicId}`;
    const check = await fetch(`${base}${topicPath}`);
    const html = await check.text();
    console.log(
      `topic page: HTTP ${check.status}, ${html.length} bytes, ${(html.match(/class="post/g) ?? []).length} posts on page 1`,
    );
    await autocannon({ url: `${base}${topicPath}`, connections: 10, duration: 3 }); // warm-up
    const topic = await autocannon({ url: `${base}${topicPath}`, connections: 10, duration: 15 });
    console.log('\n| topic page (50 replies, anonymous) | req/s | p50 ms | p99 ms | errors/non-2xx |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| 10 connections, 15 s | ${topic.requests.average.toFixed(0)} | ${topic.latency.p50} | ${topic.latency.p99} | ${topic.errors}/${topic.non2xx} |`,
    );

    console.log(
      `\n| search (${posts.toLocaleString('en')} posts, 10 concurrent, 10 s) | posts matching (first word) | order | req/s | p50 ms | p95 ms | p99 ms | errors |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, cls] of Object.entries(classes)) {
      for (const sort of ['newest', 'relevance'] as const) {
        const paths = cls.words.map((w) => `/community/search?q=${encodeURIComponent(w)}&sort=${sort}`);
        await searchLoad(base, paths, 2, 10); // warm-up
        const r = await searchLoad(base, paths, 10, 10);
        console.log(
          `| ${name} | ${cls.firstCount.toLocaleString('en')} | ${sort} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`,
        );
      }
    }
    // control: the same page and load with no search (form only), to tell machine load from search cost
    const control = await searchLoad(base, ['/community/search?q='], 10, 10);
    console.log(
      `| control: search page without a query | – | – | ${control.rps.toFixed(0)} | ${control.p50.toFixed(1)} | ${control.p95.toFixed(1)} | ${control.p99.toFixed(1)} | ${control.errors} |`,
    );
    clearInterval(sampler);
    console.log(`\npeak RSS of the earshot web process: ${peak.toFixed(0)} MB`);
  } finally {
    if (child) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await server.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
