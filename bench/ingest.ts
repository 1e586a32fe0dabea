/**
 * Triage pipeline end to end on its own embedded PostgreSQL (`npm run bench -- ingest [seconds] [rate] [burst]`):
 * 1. sustained: a producer acknowledges posts into inbound_queue at RATE posts/s (default 6,000) for
 *    SECONDS (default 60) while one worker process (2 drain loops) classifies, threads, routes,
 *    assigns and stores them; arrival-to-inbox latency = commit time − acknowledgement time.
 * 2. burst: BURST posts (default 100,000) acknowledged at once, then drained; count check.
 * 3. kill: a burst, the worker SIGKILLed mid-drain, a new worker started; every acknowledged post
 *    must be stored exactly once.
 * Posts are real customer-support tweets (../shared/data/twcs) with synthetic ids, 20,000 authors,
 * a quarter of them replies into an earlier thread; 40 agents online with capacity.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrateDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import type { InboundPost } from '../src/domain/inbound-post.ts';
import { readCsv, sharedDataDir } from '../src/pipeline/classify/data.ts';
import { DRAIN_BATCH_SIZE } from '../src/pipeline/drain.ts';
import { enqueueInbound } from '../src/pipeline/intake.ts';

const WORKER = fileURLToPath(new URL('./_ingest-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Batch {
  type: 'batch';
  committedAt: number;
  stored: number;
  duplicates: number;
  arrivals: number[];
}

function startWorker(url: string, onBatch: (b: Batch) => void): Promise<ChildProcess> {
  // INGEST_LOOPS / INGEST_BATCH: drain loops in the worker process and posts per batch (default 2 × DRAIN_BATCH_SIZE).
  const loops = process.env.INGEST_LOOPS ?? '2';
  const batch = process.env.INGEST_BATCH ?? String(DRAIN_BATCH_SIZE);
  const child = fork(WORKER, [url, loops, batch], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') resolve(child);
      else if (m.type === 'batch') onBatch(m as Batch);
      else if (m.type === 'log') console.log(`  worker: ${m.message}`);
    });
    child.on('error', reject);
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  await exited;
}

/** The bench's posts: real TWCS texts, 20,000 authors, a quarter replies into one of the last 5,000 threads. */
export class PostFactory {
  private n = 0;
  private readonly threads: { thread: string; author: number }[] = [];
  constructor(
    private readonly texts: string[],
    private readonly channelId: string,
    private readonly run: string,
  ) {}
  next(): InboundPost {
    const i = this.n++;
    const reply = this.threads.length > 100 && i % 4 === 0;
    const t = reply ? this.threads[(i * 7919) % this.threads.length]! : null;
    const author = t ? t.author : (i * 104729) % 20_000;
    const id = `${this.run}-${i}`;
    if (!t) {
      this.threads.push({ thread: id, author });
      if (this.threads.length > 5000) this.threads.shift();
    }
    return {
      channelKind: 'x',
      channelId: this.channelId,
      externalId: id,
      threadExternalId: t ? t.thread : id,
      ...(t ? { parentExternalId: t.thread } : {}),
      author: { externalId: `u${author}`, handle: `customer${author}`, followers: (author * 31) % 50_000 },
      text: this.texts[i % this.texts.length]!,
      isPrivate: i % 10 === 0,
      createdAt: new Date().toISOString(),
      matchedBy: 'mention',
    };
  }
  batch(n: number): InboundPost[] {
    return Array.from({ length: n }, () => this.next());
  }
}

/** WAL written and checkpoints so far (pg_stat_wal, pg_stat_checkpointer). */
export async function walStats(pool: pg.Pool) {
  const r = await pool.query<{ bytes: string; records: string; fpi: string; checkpoints: string }>(
    `select wal_bytes as bytes, wal_records as records, wal_fpi as fpi,
            (select num_timed + num_requested from pg_stat_checkpointer) as checkpoints from pg_stat_wal`,
  );
  const row = r.rows[0]!;
  return {
    bytes: Number(row.bytes),
    records: Number(row.records),
    fpi: Number(row.fpi),
    checkpoints: Number(row.checkpoints),
  };
}

async function waitEmpty(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await pool.query<{ e: boolean }>('select exists (select 1 from inbound_queue) as e');
    if (!r.rows[0]!.e) return true;
    await sleep(200);
  }
  return false;
}

async function counts(pool: pg.Pool, prefix: string) {
  const r = await pool.query<{ n: number; distinct_ids: number }>(
    `select count(*)::int as n, count(distinct external_id)::int as distinct_ids from posts where external_id like $1`,
    [`${prefix}-%`],
  );
  const q = await pool.query<{ n: number }>('select count(*)::int as n from inbound_queue');
  const d = await pool.query<{ n: number }>('select count(*)::int as n from inbound_dead_letters');
  return {
    stored: r.rows[0]!.n,
    distinct: r.rows[0]!.distinct_ids,
    queued: q.rows[0]!.n,
    dead: d.rows[0]!.n,
  };
}

/** One X channel, 40 agents online with capacity, and the TWCS texts posts are made of. */
export async function seedIngestBench(pool: pg.Pool): Promise<{ channelId: string; texts: string[] }> {
  const channel = await pool.query<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', 'Bench X', 'http://127.0.0.1') returning id`,
  );
  const channelId = channel.rows[0]!.id;
  await pool.query(
    `insert into users (email, display_name, role, password_hash, capacity, online)
     select 'agent' || g || '@bench.test', 'Agent ' || g, case when g % 5 = 0 then 'marketing' else 'agent' end, 'x', 25, true
     from generate_series(1, 40) g`,
  );
  const texts = readCsv(join(sharedDataDir(), 'twcs/sample_5000.csv'))
    .filter((r) => r.inbound === 'True')
    .map((r) => r.text ?? '')
    .filter((t) => t.length > 0);
  return { channelId, texts };
}

export default async function ingestBench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 60);
  const rate = Number(args[1] ?? 6000);
  const burst = Number(args[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-ingest-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  const rows: string[][] = [];
  try {
    await migrateDatabase(server.url);
    const pool = new pg.Pool({ connectionString: server.url, max: 4 });
    // An idle client's error (the server stopping after a failure) must not hide the failure itself.
    pool.on('error', () => {});
    const { channelId, texts } = await seedIngestBench(pool);
    console.log(
      `posts: ${texts.length} distinct real tweet texts; worker: 1 process × ${process.env.INGEST_LOOPS ?? 2} drain loops, batch ≤ ${process.env.INGEST_BATCH ?? DRAIN_BATCH_SIZE}`,
    );

    // 1. Sustained rate.
    const latencies: number[] = [];
    let lastCommit = 0;
    let worker = await startWorker(server.url, (b) => {
      lastCommit = b.committedAt;
      for (const a of b.arrivals) latencies.push(b.committedAt - a);
    });
    const sustained = new PostFactory(texts, channelId, 'sus');
    const tickMs = 50;
    const perTick = Math.round((rate * tickMs) / 1000);
    const started = Date.now();
    let offered = 0;
    let lagTicks = 0;
    while (Date.now() - started < seconds * 1000) {
      const due = started + (offered / rate) * 1000;
      if (Date.now() < due) await sleep(due - Date.now());
      else if (Date.now() - due > 200) lagTicks++;
      await enqueueInbound(pool, sustained.batch(perTick));
      offered += perTick;
    }
    const offerSeconds = (Date.now() - started) / 1000;
    await waitEmpty(pool, (seconds + 300) * 1000);
    await sleep(300);
    const drainSeconds = (lastCommit - started) / 1000;
    const c1 = await counts(pool, 'sus');
    rows.push([
      `sustained ${seconds}s @ ${rate}/s offered`,
      `${offered} offered in ${offerSeconds.toFixed(1)} s (${(offered / offerSeconds).toFixed(0)}/s${lagTicks ? `, producer late ${lagTicks}×` : ''})`,
      `${(c1.stored / drainSeconds).toFixed(0)} posts/s stored`,
      `p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms, max ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(0)} ms`,
      `stored ${c1.stored}, distinct ${c1.distinct}, queued ${c1.queued}`,
    ]);
    console.log(rows.at(-1)!.join(' | '));

    // 2. Burst.
    const burstPosts = new PostFactory(texts, channelId, 'burst');
    await stopWorker(worker);
    const t0 = Date.now();
    for (let i = 0; i < burst; i += 10_000)
      await enqueueInbound(pool, burstPosts.batch(Math.min(10_000, burst - i)));
    const ackSeconds = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    worker = await startWorker(server.url, (b) => {
      lastCommit = b.committedAt;
    });
    await waitEmpty(pool, 900_000);
    await sleep(300);
    const burstSeconds = (lastCommit - t1) / 1000;
    const c2 = await counts(pool, 'burst');
    rows.push([
      `burst ${burst}`,
      `acknowledged in ${ackSeconds.toFixed(1)} s (${(burst / ackSeconds).toFixed(0)}/s)`,
      `drained in ${burstSeconds.toFixed(1)} s (${(c2.stored / burstSeconds).toFixed(0)}/s)`,
      '',
      `stored ${c2.stored}, distinct ${c2.distinct}, queued ${c2.queued}, dead letters ${c2.dead} → ${c2.stored === burst && c2.distinct === burst ? 'no loss, no duplicates' : 'MISMATCH'}`,
    ]);
    console.log(rows.at(-1)!.join(' | '));
    await stopWorker(worker);

    // 3. Kill mid-burst, restart, exactly once.
    const killN = Math.min(burst, 50_000);
    const killPosts = new PostFactory(texts, channelId, 'kill');
    for (let i = 0; i < killN; i += 10_000)
      await enqueueInbound(pool, killPosts.batch(Math.min(10_000, killN - i)));
    let before = 0;
    worker = await startWorker(server.url, (b) => {
      before += b.stored;
    });
    while (before < killN / 3) await sleep(20);
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    const atKill = await counts(pool, 'kill');
    // Requeue some already-stored posts too, as a redelivering platform would: they must stay single.
    const again = new PostFactory(texts, channelId, 'kill').batch(2000);
    await enqueueInbound(pool, again);
    worker = await startWorker(server.url, () => {});
    await waitEmpty(pool, 900_000);
    await sleep(300);
    await stopWorker(worker);
    const c3 = await counts(pool, 'kill');
    rows.push([
      `kill -9 mid-burst of ${killN}`,
      `${atKill.stored} stored when killed, ${atKill.queued} still queued`,
      `restart + 2000 redelivered`,
      '',
      `stored ${c3.stored}, distinct ${c3.distinct}, queued ${c3.queued} → ${c3.stored === killN && c3.distinct === killN ? 'exactly once' : 'MISMATCH'}`,
    ]);
    console.log(rows.at(-1)!.join(' | '));
    const conv = await pool.query<{ n: number; assigned: number; due: number; events: number }>(
      `select count(*)::int as n, count(assignee_id)::int as assigned, count(first_response_due_at)::int as due,
              (select count(*)::int from conversation_events) as events from conversations`,
    );
    const ig = await pool.query<{ n: number }>('select count(*)::int as n from ignored_posts');
    const wal = await walStats(pool);
    console.log(
      `WAL over the whole run: ${(wal.bytes / 1e9).toFixed(2)} GB, ${wal.records} records, ${wal.fpi} full-page images, ${wal.checkpoints} checkpoints`,
    );
    console.log(
      `conversations ${conv.rows[0]!.n} (assigned ${conv.rows[0]!.assigned}, with SLA due ${conv.rows[0]!.due}), events ${conv.rows[0]!.events}, ignored posts ${ig.rows[0]!.n}`,
    );
    await pool.end();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\n| phase | intake | throughput | latency (arrival → inbox) | check |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
