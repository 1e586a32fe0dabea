/**
 * `npm run bench -- articles [articles=20000]`: knowledge-base search latency (search box,
 * suggestions for a forum question) and public article page throughput, on an embedded PostgreSQL
 * seeded with N articles whose words follow a Zipf-like distribution.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { buildApp } from '../src/http/app.ts';
import { buildContext } from '../src/http/context.ts';
import { openEventBus } from '../src/lib/event-bus.ts';
import { articlesService } from '../src/services/articles.ts';
import { freePort } from '../test/global-setup.ts';

const WORDS = [
  'password',
  'refund',
  'invoice',
  'shipping',
  'headset',
  'bluetooth',
  'battery',
  'warranty',
  'account',
  'login',
  'export',
  'report',
  'billing',
  'update',
  'install',
  'error',
  'sync',
  'calendar',
  'email',
  'notification',
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

export default async function bench(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-articles-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  try {
    await migrateDatabase(server.url);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const t0 = Date.now();
    const words = `array[${WORDS.map((w) => `'${w}'`).join(',')}]`;
    // Zipf-ish: word rank drawn log-uniformly; a synthetic vocabulary tail ('w123') keeps terms rare.
    const word = `(case when random() < 0.3 then (${words})[1 + floor(exp(random() * ln(${WORDS.length})))::int - 1 + 1] else 'w' || floor(exp(random() * ln(50000)))::int end)`;
    await client.query(`insert into articles (kind, slug, title, summary, body, body_html, status, publish_at, tags)
      select case when g % 5 = 0 then 'blog' else 'kb' end, 'article-' || g,
        initcap(${word} || ' ' || ${word} || ' guide ' || g), ${word} || ' ' || ${word},
        (select string_agg(${word}, ' ') from generate_series(1, 120 + g % 7) w where g > 0),
        '<p>body</p>', 'published', now() - g * interval '1 minute', array[${word}]
      from generate_series(1, ${n}) g`);
    await client.query('analyze articles');
    console.log(`seeded ${n} articles in ${Date.now() - t0} ms`);
    await client.end();

    const database = openDatabase(server.url, { max: 8 });
    const svc = articlesService({ db: database.db, baseUrl: 'http://bench', secret: 'x' });
    console.log('| query | p50 ms | p95 ms |');
    console.log('|---|---|---|');
    const rows: [string, (i: number) => Promise<unknown>][] = [
      ['search, common word (ranked)', (i) => svc.search(WORDS[i % 3]!)],
      ['search, two words', (i) => svc.search(`${WORDS[i % 5]} ${WORDS[(i + 1) % 5]}`)],
      ['search, rare word', (i) => svc.search(`w${30_000 + i}`)],
      [
        'suggestArticles(question)',
        (i) =>
          svc.suggestArticles(`my ${WORDS[i % 8]} has an error after the update, how do I fix the sync?`, 5),
      ],
    ];
    for (const [name, fn] of rows) {
      await timed(5, fn);
      const r = await timed(100, fn);
      console.log(`| ${name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
    }

    const config = loadConfig({
      EARSHOT_SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      EARSHOT_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    });
    const bus = await openEventBus(server.url, database.pool);
    const app = await buildApp(buildContext(config, database, bus), { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    for (const path of ['/kb/article-7', '/search?q=password']) {
      const res = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 10, duration: 5 });
      console.log(
        `${path}: ${res.requests.average.toFixed(0)} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms, errors ${res.errors + res.non2xx}`,
      );
    }
    await app.close();
    await bus.close();
    await database.close();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
