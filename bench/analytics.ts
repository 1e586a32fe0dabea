/**
 * `npm run bench -- analytics [conversations]`: the analytics dashboard's queries over 1,000,000
 * conversations spread over a year, with their events and inbound posts, on its own embedded
 * PostgreSQL. Everything is bulk-generated with generate_series. The per-conversation facts are
 * generated in SQL from the same columns (a full TS rollup of 1M would take minutes); the real
 * incremental rollup (src/jobs/analytics-rollup.ts) is then timed on a batch of changed conversations,
 * and the daily rollup is rebuilt for the whole year with the real code.
 * Prints p50/p95 per dashboard query and for the whole dashboard (all queries, as the page runs them),
 * cold (report cache off) and as served (precomputed by the rollup job, or cached by a first view).
 * Arguments: [conversations] [iterations] [cold iterations].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../src/db/embedded.ts';
import * as repo from '../src/db/repositories/analytics.ts';
import * as more from '../src/db/repositories/analytics-more.ts';
import { refreshDaily } from '../src/db/repositories/analytics-rollup.ts';
import { runAnalyticsRollupJob } from '../src/jobs/analytics-rollup.ts';
import { buildReport } from '../src/services/analytics.ts';
import { freePort } from '../test/global-setup.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function generate(sql: (q: string) => Promise<unknown>, n: number) {
  const t0 = Date.now();
  await sql(`SET session_replication_role = replica`);
  await sql(`INSERT INTO users (email, display_name, role, password_hash, team)
    SELECT 'agent' || g || '@bench.test', 'Agent ' || g, 'agent', 'x', (ARRAY['care','social','emea'])[1 + g % 3]
    FROM generate_series(1, 40) g`);
  await sql(`INSERT INTO sla_policies (name, position, policy) VALUES ('Office hours', 0,
    '{"name":"Office hours","targets":{"firstResponseMinutes":60,"nextResponseMinutes":120,"resolutionMinutes":1440},
      "calendar":{"timeZone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"17:00"}],
      "tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],
      "thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}]}}}')`);
  await sql(
    `CREATE TEMP TABLE ag AS SELECT row_number() OVER () - 1 AS i, id, team FROM users WHERE role = 'agent'`,
  );
  // A year of conversations, newest first; the last 7 days are partly still active.
  await sql(`
    CREATE TEMP TABLE gen AS
    SELECT g, now() - (g::float8 / ${n}) * interval '365 days' AS created_at,
      (ARRAY['x','facebook','reddit','mastodon','email','forum','discourse'])[1 + g % 7] AS channel_kind,
      CASE WHEN g % 10 = 0 THEN 'marketing' ELSE 'support' END AS queue,
      (ARRAY['complaint','question','praise','feedback','lead','spam'])[1 + (g / 7) % 6] AS intent,
      (g * 7919) % 10800 AS frt_s, (g * 104729) % 172800 AS res_s, g % 10 <> 9 AS replied
    FROM generate_series(1::bigint, ${n}::bigint) g`);
  await sql(`
    INSERT INTO conversations (channel_kind, subject, status, public_state, queue, team, assignee_id, intent, sentiment,
      sentiment_start, sentiment_end, priority, started_public, started_as_public_complaint, first_responded_at,
      resolved_at, created_at, updated_at, message_count)
    SELECT gen.channel_kind, 'Conversation ' || g,
      CASE WHEN gen.created_at > now() - interval '7 days' AND g % 3 = 0 THEN 'open' ELSE 'resolved' END,
      CASE WHEN gen.replied THEN 'answered_publicly' ELSE 'unanswered' END, gen.queue, ag.team, ag.id, gen.intent,
      (ARRAY['negative','neutral','positive'])[1 + g % 3], (ARRAY['negative','neutral','positive'])[1 + g % 3],
      (ARRAY['negative','neutral','positive'])[1 + (g / 3) % 3], (ARRAY['low','normal','high','urgent'])[1 + g % 4],
      gen.channel_kind <> 'email', gen.channel_kind <> 'email' AND gen.intent = 'complaint',
      CASE WHEN gen.replied THEN gen.created_at + gen.frt_s * interval '1 second' END,
      gen.created_at + gen.res_s * interval '1 second', gen.created_at, gen.created_at + interval '2 days', 3
    FROM gen JOIN ag ON ag.i = gen.g % 40`);
  console.log(`conversations: ${n} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const t1 = Date.now();
  await sql(`INSERT INTO conversation_events (conversation_id, type, at, actor_id, data)
    SELECT id, 'conversation_opened', created_at, 'system', jsonb_build_object('queue', queue) FROM conversations`);
  await sql(`INSERT INTO conversation_events (conversation_id, type, at, actor_id, data)
    SELECT id, 'reply_recorded', first_responded_at, assignee_id::text, '{"visibility":"public","kind":"reply"}'
    FROM conversations WHERE first_responded_at IS NOT NULL`);
  await sql(`INSERT INTO conversation_events (conversation_id, type, at, actor_id, data)
    SELECT id, 'status_changed', resolved_at, assignee_id::text, '{"from":"open","to":"resolved"}'
    FROM conversations WHERE status = 'resolved'`);
  await sql(`INSERT INTO conversation_events (conversation_id, type, at, actor_id, data)
    SELECT id, 'handed_off', created_at + interval '5 minutes', 'system', '{"fromQueue":"support","toQueue":"marketing"}'
    FROM conversations WHERE queue = 'marketing' AND intent = 'lead'`);
  await sql(`INSERT INTO posts (conversation_id, channel_kind, external_id, direction, is_private, text, sentiment, posted_at, received_at)
    SELECT id, channel_kind, id::text, 'inbound', NOT started_public, 'Where is my order?', sentiment_start, created_at, created_at
    FROM conversations`);
  console.log(`events + posts in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  const t2 = Date.now();
  // Facts as the rollup would compute them (business time approximated as 30 % of wall time here).
  await sql(`INSERT INTO analytics_conversation_facts (conversation_id, created_at, channel_kind, queue, initial_queue, team,
      assignee_id, intent, priority, status, started_public, public_complaint, no_response_needed, inbound_needing,
      inbound_answered, agent_replies, first_response_at, first_public_response_at, frt_wall_s, frt_business_s, resolved_at,
      resolution_wall_s, resolution_business_s, sla_first_response, sla_resolution, sla_next_cycles, sla_next_missed,
      resolution_notice, sentiment_first, sentiment_last, handoffs, queue_handoffs, reopens, refreshed_at)
    SELECT c.id, c.created_at, c.channel_kind, c.queue, CASE WHEN c.queue = 'marketing' AND c.intent = 'lead' THEN 'support' ELSE c.queue END,
      c.team, c.assignee_id, c.intent, c.priority, c.status, c.started_public, c.started_as_public_complaint, c.intent = 'spam',
      CASE WHEN c.intent = 'spam' THEN 0 ELSE 1 END, CASE WHEN c.intent <> 'spam' AND c.first_responded_at IS NOT NULL THEN 1 ELSE 0 END,
      CASE WHEN c.first_responded_at IS NOT NULL THEN 1 ELSE 0 END, c.first_responded_at, c.first_responded_at,
      extract(epoch FROM c.first_responded_at - c.created_at)::int, (extract(epoch FROM c.first_responded_at - c.created_at) * 0.3)::int,
      CASE WHEN c.status = 'resolved' THEN c.resolved_at END,
      CASE WHEN c.status = 'resolved' THEN extract(epoch FROM c.resolved_at - c.created_at)::int END,
      CASE WHEN c.status = 'resolved' THEN (extract(epoch FROM c.resolved_at - c.created_at) * 0.3)::int END,
      CASE WHEN c.first_responded_at IS NULL THEN 'missed' WHEN c.first_responded_at - c.created_at > interval '2 hours' THEN 'missed' ELSE 'met' END,
      CASE WHEN c.status <> 'resolved' THEN NULL WHEN c.resolved_at - c.created_at > interval '1 day' THEN 'missed' ELSE 'met' END,
      0, 0,
      CASE WHEN NOT c.started_as_public_complaint THEN NULL WHEN c.status <> 'resolved' THEN 'pending'
        WHEN hashtext(c.id::text) % 50 = 0 THEN 'missing' ELSE 'posted' END,
      (ARRAY[-1,0,1])[1 + abs(hashtext(c.sentiment_start)) % 3], (ARRAY[-1,0,1])[1 + abs(hashtext(c.sentiment_end)) % 3],
      CASE WHEN c.queue = 'marketing' AND c.intent = 'lead' THEN 1 ELSE 0 END,
      CASE WHEN c.queue = 'marketing' AND c.intent = 'lead' THEN 1 ELSE 0 END, 0, now()
    FROM conversations c ORDER BY c.created_at`); // the rollup writes facts roughly in time order
  console.log(`facts in ${((Date.now() - t2) / 1000).toFixed(0)} s`);
  await sql(`SET session_replication_role = origin`);
  await sql(`VACUUM ANALYZE`);
}

async function timeIt<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export default async function (args: string[]) {
  const n = Number(args[0] ?? 1_000_000);
  const iterations = Number(args[1] ?? 20);
  const coldIterations = Number(args[2] ?? 5);
  // ANALYTICS_BENCH_DIR keeps the generated database between runs (generation takes minutes).
  const keep = process.env.ANALYTICS_BENCH_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'earshot-bench-analytics-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  try {
    await createDatabaseIfMissing(server.url, 'bench');
    const url = new URL(server.url);
    url.pathname = '/bench';
    await migrateDatabase(url.toString());
    const database = openDatabase(url.toString(), { max: 10 });
    const db = database.db;
    const have = await database.pool.query('select count(*)::int as n from analytics_conversation_facts');
    if (have.rows[0].n !== n) await generate((q) => database.pool.query(q), n);
    const counts = await database.pool.query(
      `select (select count(*) from conversations) c, (select count(*) from conversation_events) e, (select count(*) from posts) p`,
    );
    console.log(`rows: ${JSON.stringify(counts.rows[0])}`);

    const days: string[] = [];
    for (let i = 0; i <= 366; i++)
      days.push(new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10));
    console.log(
      `daily rollup, full year rebuilt: ${(await timeIt(() => refreshDaily(db, days))).toFixed(0)} ms`,
    );
    await database.pool.query('VACUUM ANALYZE analytics_daily');

    // Incremental rollup with the real code: 5,000 conversations changed since the last run.
    await database.pool.query(`insert into analytics_rollup_state (name, watermark) values ('facts', now())
       on conflict (name) do update set watermark = now()`);
    await database.pool.query(
      `update conversations set updated_at = now() + interval '1 minute' where id in (select id from conversations order by created_at desc limit 5000)`,
    );
    const at = new Date(Date.now() + 5 * 60_000);
    let result: unknown;
    const ms = await timeIt(async () => {
      result = await runAnalyticsRollupJob(db, { now: at });
    });
    // The job = incremental rollup + precomputing the default views' reports for the new generation.
    console.log(`rollup job: ${JSON.stringify(result)} in ${ms.toFixed(0)} ms`);

    const now = new Date();
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const back = (d: number) => new Date(tomorrow.getTime() - d * 86_400_000);
    const scenarios: Array<[string, repo.AnalyticsFilters]> = [
      ['30 days', { from: back(30), to: tomorrow }],
      ['30 days, channel x', { from: back(30), to: tomorrow, channel: 'x' }],
      ['30 days, team care, queue support', { from: back(30), to: tomorrow, team: 'care', queue: 'support' }],
      ['7 days', { from: back(7), to: tomorrow }],
      ['90 days', { from: back(90), to: tomorrow }],
      ['365 days', { from: back(365), to: tomorrow }],
    ];
    const month: repo.AnalyticsFilters = { from: back(30), to: tomorrow };
    const plan = await database.pool.query(
      `explain (analyze, buffers, costs off) select percentile_cont(array[0.5, 0.9]) within group (order by frt_wall_s)
       from analytics_conversation_facts where created_at >= $1 and created_at < $2`,
      [month.from, month.to],
    );
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    console.log('\n| scenario | query | p50 ms | p95 ms |');
    console.log('|---|---|---|---|');
    for (const [name, f] of scenarios) {
      const queries: Array<[string, () => Promise<unknown>, number?]> = [
        ['summary (counters + percentiles)', () => repo.summaryBase(db, f)],
        ['digital silence, still waiting (live)', () => repo.stillSilent(db, f, 4, now)],
        ['series', () => repo.series(db, f)],
        ['breakdowns (channel, intent, queue, team, agent)', () => repo.breakdowns(db, f)],
        ['workload agents (open now)', () => more.workload(db, f, 'agent', [])],
        ['community deflection', () => more.communityDeflection(db, f.from, f.to)],
        ['csat', () => more.csatSummary(db, f)],
        ['handoffs', () => more.handoffMatrix(db, f)],
        [
          'drill-down digital silence',
          () => repo.drilldown(db, f, 'digital_silence', { silenceHours: 4, now, limit: 100 }),
        ],
        // Every number computed from the facts, as on a view nobody has opened since the last rollup.
        [
          'whole dashboard, cold (cache off)',
          () => buildReport(db, f, { now, cache: false }),
          coldIterations,
        ],
        // As served: the job precomputed the default periods; other filters are cached by their first view.
        ['whole dashboard, served (report cache)', () => buildReport(db, f, { now })],
      ];
      for (const [qname, fn, times] of queries) {
        await fn(); // warm
        const xs: number[] = [];
        for (let i = 0; i < (times ?? iterations); i++) xs.push(await timeIt(fn));
        console.log(`| ${name} | ${qname} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} |`);
      }
    }
    await database.close();
  } finally {
    await server.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
