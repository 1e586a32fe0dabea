/**
 * Drain throughput and per-stage profile, without a producer competing for the CPU:
 * `LOOPS=2 N=40000 node --import tsx bench/_drain-profile.ts` on a fresh embedded PostgreSQL. Queues
 * 10,000 posts and drains them unmeasured (warm-up), then queues N posts at once and drains them with
 * LOOPS parallel drain loops (batches ≤ BATCH); prints posts/s and the pipeline's stage timings per
 * 1,000 posts (globalThis.__timings, summed over loops), the machine's busy CPU and this process's share
 * per 1,000 posts (pause other work first), the WAL written, and each table's inserts / updates / heap-only
 * updates over the whole run (warm-up included); SHOW_INDEXES=1 also lists the conversations indexes.
 * ALTER="sql; sql" runs statements first (to try schema variants). Posts and setup as in
 * `npm run bench -- ingest` (its PostFactory and seedIngestBench).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { shippedClassifier } from '../src/pipeline/classifier.ts';
import { pipelineConfigCache } from '../src/pipeline/config.ts';
import { DRAIN_BATCH_SIZE, drainOnce } from '../src/pipeline/drain.ts';
import { enqueueInbound } from '../src/pipeline/intake.ts';
import { freePort } from '../test/global-setup.ts';
import { PostFactory, seedIngestBench, walStats } from './ingest.ts';

/** Busy CPU time of the whole machine so far, ms (/proc/stat: all but idle and iowait). */
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((a, b) => a + b, 0) - fields[3]! - fields[4]!;
  return (busy * 1000) / 100;
}

const N = Number(process.env.N ?? 30_000);
const loops = Number(process.env.LOOPS ?? 2);
const batch = Number(process.env.BATCH ?? DRAIN_BATCH_SIZE);
const dir = mkdtempSync(join(tmpdir(), 'earshot-drain-profile-'));
const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
try {
  await migrateDatabase(server.url);
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  for (const statement of (process.env.ALTER ?? '').split(';').filter((x) => x.trim()))
    await pool.query(statement);
  const { channelId, texts } = await seedIngestBench(pool);
  const posts = new PostFactory(texts, channelId, 'p');
  const database = openDatabase(server.url, { max: loops + 2 });
  const deps = {
    pool: database.pool,
    classifier: shippedClassifier(),
    config: pipelineConfigCache(database.db),
  };
  const timings = globalThis as { __timings?: Record<string, number> };
  for (const measured of [false, true]) {
    const count = measured ? N : 10_000;
    for (let i = 0; i < count; i += 10_000)
      await enqueueInbound(pool, posts.batch(Math.min(10_000, count - i)));
    timings.__timings = {};
    const walBefore = await walStats(pool);
    const busyBefore = machineBusyMs();
    const nodeBefore = process.cpuUsage();
    const t0 = performance.now();
    let stored = 0;
    await Promise.all(
      Array.from({ length: loops }, async () => {
        for (;;) {
          const r = await drainOnce(deps, batch);
          if (!r) return;
          stored += r.stored;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const busy = machineBusyMs() - busyBefore;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const nodeMs = (nodeCpu.user + nodeCpu.system) / 1000;
    if (measured) {
      console.log(
        `stored ${stored} in ${seconds.toFixed(1)} s = ${(stored / seconds).toFixed(0)} posts/s (loops ${loops}, batch ≤ ${batch}); machine CPU ${(busy / (stored / 1000)).toFixed(0)} ms per 1,000 posts, of which this process ${(nodeMs / (stored / 1000)).toFixed(0)}`,
      );
      console.log(
        `ms per 1,000 posts: ${Object.entries(timings.__timings)
          .map(([k, v]) => `${k} ${(v / (stored / 1000)).toFixed(0)}`)
          .join(', ')}`,
      );
      const wal = await walStats(pool);
      const per = (k: keyof typeof wal) => (wal[k] - walBefore[k]) / (stored / 1000);
      const tables = await pool.query(
        `select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del from pg_stat_user_tables
          where n_tup_ins + n_tup_upd + n_tup_del > 0 order by n_tup_ins + n_tup_upd + n_tup_del desc limit 12`,
      );
      console.table(tables.rows);
      if (process.env.SHOW_INDEXES) {
        const indexes = await pool.query(
          `select indexrelname, pg_get_indexdef(indexrelid) as def from pg_stat_user_indexes where relname = 'conversations'`,
        );
        console.table(indexes.rows);
      }
      console.log(
        `WAL per 1,000 posts: ${(per('bytes') / 1e6).toFixed(1)} MB, ${per('records').toFixed(0)} records, ${per('fpi').toFixed(0)} full-page images; checkpoints during the run: ${wal.checkpoints - walBefore.checkpoints}`,
      );
    }
  }
  await database.close();
  await pool.end();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
