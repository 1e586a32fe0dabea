/**
 * `npm run bench -- inbox [conversations]`: inbox list and conversation open with 10 concurrent agents
 * over 1,000,000 conversations / 5,000,000 posts (bulk-generated with generate_series) on its own
 * embedded PostgreSQL; server time (Fastify's reply.elapsedTime) p50/p95/p99 per endpoint. Then the
 * realtime path in a real Chromium with the inbox open (bench/_inbox-browser.ts): a post stored → its row
 * on screen, during the agents' load and alone; and at the SSE stream level. The agents run in their own
 * process (bench/_inbox-agents.ts).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { loadConfig } from '../src/config/index.ts';
import { buildApp } from '../src/http/app.ts';
import { buildContext } from '../src/http/context.ts';
import { openEventBus } from '../src/lib/event-bus.ts';
import { keepAndCount, withBenchDatabase } from './_bench-db.ts';
import { openBrowserAgent } from './_inbox-browser.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (xs: number[]) =>
  `n=${xs.length} p50=${pct(xs, 50).toFixed(2)} p95=${pct(xs, 95).toFixed(2)} p99=${pct(xs, 99).toFixed(2)} ms`;

/** Deterministic ids: conversation g, contact g, post p (the bench needs no lookups to link rows). */
const uid = (prefix: string, expr: string) => `('${prefix}' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
const CONV = (g: string) => uid('00000000-0000-4000-8000-', g);
const CONTACT = (g: string) => uid('00000000-0000-4000-9000-', g);
const POST = (p: string) => uid('00000000-0000-4000-a000-', p);

/**
 * Bulk load straight from generate_series row numbers (no OFFSET paging, no joins on big tables):
 * conversation g (1..n), its contact g % contacts, post p (1..5n) belongs to conversation ((p-1) % n) + 1.
 * Attributes use different strides so filters are not correlated with the view (status) or each other.
 */
/** What the conversation view also reads: one identity per contact, audit events (2 per conversation). */
export async function generateExtras(sql: (q: string) => Promise<unknown>, n: number) {
  const nContacts = Math.ceil(n / 5);
  await sql(`
    INSERT INTO contact_identities (contact_id, channel_kind, external_id, handle, followers)
    SELECT ${CONTACT('g')}, 'x', 'u' || g, 'customer' || g, g % 5000 FROM generate_series(0, ${nContacts - 1}) g`);
  await sql(`
    INSERT INTO conversation_events (conversation_id, type, at, actor_id, data)
    SELECT ${CONV('g')}, e.type, now() - (g % 100000) * interval '1 minute' + e.k * interval '1 minute', 'system', '{}'
    FROM generate_series(1, ${n}) g, (VALUES (0, 'created'), (1, 'routed')) e(k, type)`);
}

export async function generate(sql: (q: string) => Promise<unknown>, n: number) {
  const t0 = Date.now();
  const nContacts = Math.ceil(n / 5);
  await sql(`SET session_replication_role = replica`); // bulk load: no triggers, no FK checks
  await sql(`SET synchronous_commit = off`);
  await sql(`SET maintenance_work_mem = '256MB'`);
  await sql(
    `INSERT INTO channels (kind, name, base_url) SELECT k, k, 'http://127.0.0.1:9' FROM unnest(ARRAY['x','mastodon','reddit','facebook']) k`,
  );
  await sql(
    `CREATE TEMP TABLE ch AS SELECT (row_number() OVER (ORDER BY kind) - 1)::int AS i, id, kind FROM channels`,
  );
  await sql(
    `CREATE TEMP TABLE ag AS SELECT (row_number() OVER (ORDER BY email) - 1)::int AS i, id FROM users WHERE role = 'agent'`,
  );
  await sql(
    `INSERT INTO contacts (id, display_name) SELECT ${CONTACT('g')}, 'Customer ' || g FROM generate_series(0, ${nContacts - 1}) g`,
  );
  await sql(`
    INSERT INTO conversations (id, channel_id, channel_kind, contact_id, thread_external_id, subject, status, public_state,
      queue, team, assignee_id, intent, sentiment, priority, priority_score, language, started_public,
      started_as_public_complaint, tags, first_response_due_at, next_response_due_at, first_responded_at,
      resolved_at, last_customer_message_at, last_agent_message_at, created_at, updated_at, message_count)
    SELECT ${CONV('g')}, ch.id, ch.kind, ${CONTACT(`g % ${nContacts}`)}, 't' || g, 'Conversation ' || g,
      s.status, CASE WHEN s.status IN ('resolved','closed') THEN 'resolution_notice_posted' ELSE 'unanswered' END,
      CASE WHEN (g / 3) % 10 = 0 THEN 'marketing' ELSE 'support' END, CASE WHEN (g / 7) % 2 = 0 THEN 'emea' ELSE 'amer' END,
      CASE WHEN (g / 11) % 4 = 0 THEN ag.id END,
      (ARRAY['complaint','question','praise','feedback','lead','spam'])[1 + (g / 13) % 6],
      (ARRAY['negative','neutral','positive'])[1 + (g / 17) % 3], (ARRAY['low','normal','high','urgent'])[1 + (g / 19) % 4],
      ((g::bigint * 7919) % 1000) / 1000.0, (ARRAY['en','en','de','fr','es'])[1 + (g / 23) % 5], true, (g / 29) % 6 = 0,
      CASE WHEN (g / 31) % 50 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END,
      now() + ((g::bigint * 37 % 2880) - 1440) * interval '1 minute',
      CASE WHEN (g / 41) % 3 = 0 THEN now() + ((g::bigint * 43 % 2880) - 1440) * interval '1 minute' END,
      CASE WHEN (g / 41) % 3 = 0 THEN now() - interval '1 day' END,
      CASE WHEN s.status IN ('resolved','closed') THEN now() - (g % 10000) * interval '1 minute' END,
      now() - (g % 100000) * interval '1 minute' + interval '5 minutes',
      CASE WHEN s.status = 'waiting_on_customer' THEN now() - (g::bigint * 53 % 10000) * interval '1 minute' END,
      now() - (g % 100000) * interval '1 minute', now(), 5
    FROM generate_series(1, ${n}) g
    JOIN ch ON ch.i = (g / 2) % 4 LEFT JOIN ag ON ag.i = (g / 47) % 10
    CROSS JOIN LATERAL (SELECT CASE WHEN g % 5 = 0 THEN (ARRAY['new','open','waiting_on_customer'])[1 + (g / 5) % 3]
      ELSE (ARRAY['resolved','closed'])[1 + g % 2] END AS status) s`);
  console.log(`conversations: ${n} (+ ${nContacts} contacts) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const t1 = Date.now();
  const total = n * 5;
  const batch = 1_000_000;
  for (let from = 1; from <= total; from += batch) {
    const to = Math.min(total, from + batch - 1);
    // Post p: conversation g = ((p-1) % n) + 1, k-th post of it (k = 1..5), k = 4 private.
    await sql(`
      INSERT INTO posts (id, conversation_id, channel_id, channel_kind, external_id, thread_external_id, direction,
        is_private, author_handle, text, posted_at)
      SELECT ${POST('p')}, ${CONV('x.g')}, ch.id, ch.kind, 't' || x.g || '-' || x.k, 't' || x.g,
        CASE WHEN x.k % 2 = 1 THEN 'inbound' ELSE 'outbound' END, x.k = 4, 'customer',
        'Post ' || x.k || ' about my order that never arrived, please help',
        now() - (x.g % 100000) * interval '1 minute' + x.k * interval '1 minute'
      FROM (SELECT p, ((p - 1) % ${n}) + 1 AS g, ((p - 1) / ${n}) + 1 AS k FROM generate_series(${from}, ${to}) p) x
      JOIN ch ON ch.i = (x.g / 2) % 4`);
  }
  console.log(`posts: ${total} in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  const t3 = Date.now();
  await generateExtras(sql, n);
  console.log(`identities + audit events in ${((Date.now() - t3) / 1000).toFixed(0)} s`);
  await sql(`SET session_replication_role = origin`);
  const t2 = Date.now();
  await sql(`VACUUM ANALYZE`);
  console.log(`vacuum analyze in ${((Date.now() - t2) / 1000).toFixed(0)} s`);
}

export default async function (args: string[]) {
  // --keep <dir>: keep (and reuse) the generated database there, e.g. to EXPLAIN queries or re-measure.
  const { keep, n } = keepAndCount(args, 1_000_000);
  await withBenchDatabase({ keep, name: 'earshot_bench', poolMax: 12 }, async ({ url, dir, database }) => {
    const bus = await openEventBus(url, database.pool);
    const config = loadConfig({
      EARSHOT_SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      EARSHOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      EARSHOT_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    });
    const ctx = buildContext(config, database, bus);
    const existing = Number(
      (await database.pool.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM conversations LIMIT ${n}) x`))
        .rows[0].n,
    );
    const agents: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const email = `agent${i}@bench.test`;
      if (existing === 0) {
        await ctx.accounts.createUser({
          email,
          displayName: `Agent ${i}`,
          role: 'agent',
          password: 'bench-password-123',
        });
      }
      const s = await ctx.accounts.login(email, 'bench-password-123', `10.0.0.${i}`);
      agents.push({ cookie: `es_session=${s.token}`, csrf: s.csrfToken });
    }
    if (existing === 0) {
      await database.pool.query(`UPDATE users SET team = 'emea'`);
      await generate((q) => database.pool.query(q), n);
    } else console.log(`reusing ${existing} conversations in ${dir}`);
    if (process.env.INBOX_PREWARM !== '0') {
      // Steady state of a long-running server: the inbox's tables and indexes in PostgreSQL's cache
      // (pg_prewarm, shipped with PostgreSQL). INBOX_PREWARM=0 measures right after a restart instead.
      const t = Date.now();
      await database.pool.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
      const warmed = await database.pool.query(`
        SELECT pg_size_pretty(sum(pg_prewarm(c.oid::regclass) * current_setting('block_size')::bigint)) AS size
        FROM pg_class c
        WHERE c.relkind IN ('r', 'i') AND (c.relname IN ('conversations', 'contacts', 'contact_identities',
          'users', 'sessions', 'posts', 'posts_conversation_idx', 'conversation_events', 'conversation_events_conv_idx')
          OR (c.relkind = 'i' AND c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'conversations'::regclass)))`);
      console.log(`prewarmed ${warmed.rows[0].size} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    console.log(
      `load average before measuring: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );

    const app = await buildApp(ctx, { logger: false });
    const times: Record<string, number[]> = { inbox: [], open: [] };
    app.addHook('onResponse', async (req, reply) => {
      const key = req.url.startsWith('/api/inbox')
        ? 'inbox'
        : req.url.startsWith('/api/conversations/')
          ? 'open'
          : null;
      if (key && reply.statusCode === 200 && req.headers['x-bench-agent'])
        times[key]!.push(reply.elapsedTime);
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Warm-up (caches, JIT), not measured.
    for (const v of ['unassigned', 'mine', 'team', 'breaching', 'waiting', 'resolved', 'all'])
      await (
        await fetch(`${base}/api/inbox?view=${v}`, { headers: { cookie: agents[0]!.cookie } })
      ).arrayBuffer();
    times.inbox = [];
    times.open = [];
    // 60 s per phase: ≈ 700 list requests at people's pace, enough for a stable p95.
    const seconds = Number(process.env.BENCH_SECONDS ?? 60);
    const agentLoad = async (
      thinkMs: number,
      label: string,
      during?: () => Promise<number[]>,
      secs = seconds,
    ) => {
      times.inbox = [];
      times.open = [];
      // The agents run in their own process, as browsers would: the server's event loop serves only requests.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'bench/_inbox-agents.ts', base, String(secs), String(thinkMs)],
        {
          env: { ...process.env, INBOX_AGENTS: JSON.stringify(agents.map((a) => a.cookie)) },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let childOut = '';
      child.stdout.on('data', (d) => {
        childOut += String(d);
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      let meanwhile: number[] | undefined;
      if (during) {
        await new Promise((r) => setTimeout(r, 2000));
        meanwhile = await during();
      }
      await exited;
      if (!label) return; // warm-up
      const client = JSON.parse(childOut.trim().split('\n').at(-1) ?? '{}') as {
        inbox: number[];
        open: number[];
        failures: string[];
      };
      const load = loadavg()
        .map((x) => x.toFixed(2))
        .join(' ');
      console.log(`\n${label}: ${secs} s, ${n} conversations / ${n * 5} posts; load average after: ${load}`);
      console.log(`inbox list        server: ${fmt(times.inbox!)} | client: ${fmt(client.inbox)}`);
      console.log(`conversation open server: ${fmt(times.open!)} | client: ${fmt(client.open)}`);
      if (client.failures.length)
        console.log(`${client.failures.length} failed requests, e.g. ${client.failures[0]}`);
      if (meanwhile) console.log(`post stored → row in an open Chromium inbox, meanwhile: ${fmt(meanwhile)}`);
    };
    // Warm-up, not measured: caches, JIT, every connection's prepared statements (steady state).
    await agentLoad(0, '', undefined, 10);
    const thinkMs = Number(process.env.INBOX_THINK_MS ?? 500);
    await agentLoad(thinkMs, `10 agents, think time mean ${thinkMs} ms between actions`);
    await agentLoad(0, '10 agents back to back (stress: no think time)');
    // An eleventh agent with the inbox open in Chromium (launched after the load: a browser start is heavy).
    const browserAgent = await openBrowserAgent(base, agents[1]!.cookie, database.pool);
    await new Promise((r) => setTimeout(r, 2000));
    const browserIdle = await browserAgent.sample(100);
    console.log(`\npost stored → row in an open Chromium inbox, no other load: ${fmt(browserIdle)}`);
    await agentLoad(thinkMs, `10 agents (think time ${thinkMs} ms) while Chromium receives posts`, () =>
      browserAgent.sample(40),
    );
    await browserAgent.close();

    // Realtime: post stored → SSE event at an open agent stream → the inbox re-read the page does.
    const a = agents[0]!;
    const res = await fetch(`${base}/api/realtime`, { headers: { cookie: a.cookie } });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const lat: number[] = [];
    const run = Date.now().toString(36);
    const [conv] = (
      await database.pool.query(
        `SELECT id, channel_id FROM conversations WHERE status = 'new' AND queue = 'support' LIMIT 1`,
      )
    ).rows;
    for (let k = 0; k < 200; k++) {
      const t0 = performance.now();
      await database.pool.query(
        `INSERT INTO posts (conversation_id, channel_id, channel_kind, external_id, direction, is_private, text, posted_at)
         VALUES ($1, $2, 'x', $3, 'inbound', false, 'live post', now())`,
        [conv.id, conv.channel_id, `live-${run}-${k}`],
      );
      let buf = '';
      while (!buf.includes('conversations.changed')) buf += decoder.decode((await reader.read()).value);
      await (
        await fetch(`${base}/api/inbox?view=unassigned`, { headers: { cookie: a.cookie } })
      ).arrayBuffer();
      lat.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    await reader.cancel();
    console.log(`post stored → event at agent stream + inbox re-read: ${fmt(lat)}`);
    await app.close();
    await bus.close();
  });
}
