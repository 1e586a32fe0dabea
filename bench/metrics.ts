/**
 * `npm run bench -- metrics [conversations] [--keep DIR]`: what one Prometheus scrape of /metrics
 * costs on a big database — 1,000,000 conversations / 5,000,000 posts generated as by the inbox bench
 * (reuse its database with `--keep /tmp/earshot-inbox-bench`), plus 50,000 posts queued in the intake
 * lanes and 20,000 dead letters. Times 40 scrapes through Fastify's inject (after 5 unmeasured) and
 * prints the body's size and the capped figures it reported.
 */
import { loadConfig } from '../src/config/index.ts';
import { buildApp } from '../src/http/app.ts';
import { buildContext } from '../src/http/context.ts';
import { openEventBus } from '../src/lib/event-bus.ts';
import { keepAndCount, withBenchDatabase } from './_bench-db.ts';
import { generate } from './inbox.ts';

const TOKEN = 'bench-metrics-token-0123456789';
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export default async function (args: string[]) {
  const { keep, n } = keepAndCount(args, 1_000_000);
  await withBenchDatabase({ keep, name: 'earshot_bench', poolMax: 4 }, async ({ url, dir, database }) => {
    const sql = (q: string) => database.pool.query(q);
    const existing = Number(
      (await sql('select count(*)::int as n from (select 1 from conversations limit 1) x')).rows[0].n,
    );
    if (existing === 0) await generate(sql, n);
    // Intake backlog and dead letters (removed again at the end, so a kept database stays as it was).
    await sql(`insert into inbound_queue (received_at, post)
      select now() - interval '1 minute', jsonb_build_object('text', 'queued ' || g, 'channelKind', 'x',
             'author', jsonb_build_object('externalId', 'u' || g)) from generate_series(1, 50000) g`);
    await sql(`insert into inbound_dead_letters (received_at, error, post)
      select now(), 'bench', jsonb_build_object('text', 'dead ' || g) from generate_series(1, 20000) g`);
    await sql('analyze inbound_queue; analyze inbound_dead_letters');
    try {
      const bus = await openEventBus(url, database.pool);
      const config = loadConfig({
        EARSHOT_SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
        EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        EARSHOT_DATA_DIR: dir,
        EARSHOT_METRICS_TOKEN: TOKEN,
        LOG_LEVEL: 'silent',
      });
      const app = await buildApp(buildContext(config, database, bus), { logger: false });
      await app.ready();
      const whole: number[] = [];
      let body = '';
      for (let i = 0; i < 45; i++) {
        const t0 = performance.now();
        const res = await app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`scrape answered ${res.statusCode}: ${res.body}`);
        body = res.body;
        if (i >= 5) whole.push(ms); // the first 5 warm plans and caches
      }
      const conversations = Number((await sql('select count(*)::int as n from conversations')).rows[0].n);
      const samples = body.split('\n').filter((l) => l && !l.startsWith('#'));
      console.log(
        `database: ${conversations.toLocaleString('en')} conversations, 50,000 queued posts, 20,000 dead letters`,
      );
      console.log(
        `scrape (n=${whole.length}): p50 ${pct(whole, 50).toFixed(1)} ms, p95 ${pct(whole, 95).toFixed(1)} ms, ` +
          `max ${Math.max(...whole).toFixed(1)} ms; body ${body.length.toLocaleString('en')} bytes, ${samples.length} samples`,
      );
      for (const line of samples)
        if (/^earshot_(conversations|pipeline_(queued|dead|lag))/.test(line)) console.log(`  ${line}`);
      await app.close();
      await bus.close();
    } finally {
      await sql(`delete from inbound_queue where post->>'text' like 'queued %'`);
      await sql(`delete from inbound_dead_letters where error = 'bench'`);
    }
  });
}
