/**
 * Draining the intake: claim up to N rows of one lane of inbound_queue with DELETE ... FOR UPDATE SKIP
 * LOCKED and process them in the same transaction. Commit = stored and removed from the queue together;
 * a crash or kill before commit rolls both back, so the posts are claimed again by the next drain.
 * Any number of workers (loops, processes, machines) can drain one queue.
 *
 * Failures: deadlocks, serialisation failures and concurrent duplicate inserts are retried; any other
 * error isolates the batch post by post, and a post that still fails goes to inbound_dead_letters
 * with the error (never lost, never blocking the queue).
 */
import type pg from 'pg';
import { INBOUND_LANES } from '../db/schema/pipeline.ts';
import type { Classifier } from './classifier.ts';
import type { PipelineConfigCache } from './config.ts';
import { type BatchResult, DuplicateRaceError, processBatch, type QueueRow } from './ingest.ts';

export interface DrainDeps {
  pool: pg.Pool;
  classifier: Classifier;
  config: PipelineConfigCache;
  /** Test hook: runs after processing, before COMMIT. */
  beforeCommit?: (result: BatchResult) => Promise<void> | void;
}

/**
 * Lanes (inbound_queue.lane, from the post's author): a drain takes one lane at a time under a
 * transaction-level advisory lock, so the batches of parallel drains never share an author and do not
 * wait on each other's thread locks (with one queue, a reply in the next batch waits for the batch that
 * holds its thread, and parallel drains run one after the other).
 */
export const LANE_LOCK = 7343;
/** The oldest queued post of each lane (one index probe per lane). */
const HEADS = `select l as lane from generate_series(0, ${INBOUND_LANES - 1}) l
  cross join lateral (select id from inbound_queue where lane = l order by id limit 1) h order by h.id`;
const CLAIM = `with lane as (select pg_try_advisory_xact_lock(${LANE_LOCK}, $1::int) as ok)
  delete from inbound_queue
   where (select ok from lane)
     and id in (select id from inbound_queue where lane = $1 order by id limit $2 for update skip locked)
  returning id, received_at, post`;

const RETRYABLE = new Set(['40P01', '40001', '23505']);
const isRetryable = (e: unknown) =>
  e instanceof DuplicateRaceError ||
  (typeof e === 'object' && e !== null && RETRYABLE.has((e as { code?: string }).code ?? ''));

/** Bad data (SQLSTATE classes 22, 23) or a processing bug: isolate. Lost connections and shutdowns: rethrow. */
const isIsolatable = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.startsWith('22') || code.startsWith('23');
  return !(e instanceof Error && /connection|terminat|ECONN/i.test(e.message));
};

/** Claims up to n posts of the lane with the oldest post that no other drain holds. */
async function claim(client: pg.PoolClient, n: number): Promise<QueueRow[]> {
  const heads = await client.query<{ lane: number }>(HEADS);
  for (const { lane } of heads.rows) {
    const rows = await claimLane(client, lane, n);
    if (rows.length > 0) return rows;
  }
  return [];
}

async function claimLane(client: pg.PoolClient, lane: number, n: number): Promise<QueueRow[]> {
  const r = await client.query<{ id: number; received_at: Date; post: unknown }>(CLAIM, [lane, n]);
  return r.rows
    .map((x) => ({ id: Number(x.id), receivedAt: x.received_at, post: x.post }))
    .sort((a, b) => a.id - b.id);
}

async function configFor(deps: DrainDeps, rows: readonly QueueRow[]) {
  let config = await deps.config.get();
  const unknown = rows.some((r) => {
    const id = (r.post as { channelId?: unknown } | null)?.channelId;
    return typeof id === 'string' && !config.channels.has(id);
  });
  if (unknown) {
    // A channel created since the cache was filled (possibly by another process).
    deps.config.invalidate();
    config = await deps.config.get();
  }
  return config;
}

async function attempt(
  client: pg.PoolClient,
  deps: DrainDeps,
  batchSize: number,
): Promise<BatchResult | null> {
  await client.query('begin');
  try {
    // Safe: the queue delete and the stored triage commit or vanish together; acknowledged posts
    // were committed synchronously by the intake.
    await client.query('set local synchronous_commit = off');
    const rows = await claim(client, batchSize);
    if (rows.length === 0) {
      await client.query('commit');
      return null;
    }
    const result = await processBatch(client, rows, {
      classifier: deps.classifier,
      config: await configFor(deps, rows),
    });
    await deps.beforeCommit?.(result);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  }
}

/** One post at a time, each in a savepoint: the failing ones go to the dead letters. */
async function isolate(client: pg.PoolClient, deps: DrainDeps, count: number): Promise<BatchResult | null> {
  let total: BatchResult | null = null;
  let failedInARow = 0;
  for (let i = 0; i < count; i++) {
    await client.query('begin');
    try {
      const rows = await claim(client, 1);
      if (rows.length === 0) {
        await client.query('commit');
        break;
      }
      await client.query('savepoint one');
      let r: BatchResult;
      try {
        r = await processBatch(client, rows, {
          classifier: deps.classifier,
          config: await configFor(deps, rows),
        });
        await client.query('release savepoint one');
        failedInARow = 0;
      } catch (e) {
        // Three different posts failing in a row is the system, not the posts: stop and keep them queued.
        if (++failedInARow >= 3) throw e;
        await client.query('rollback to savepoint one');
        const row = rows[0]!;
        await client.query(
          'insert into inbound_dead_letters (received_at, error, post) values ($1, $2, $3::jsonb)',
          [
            row.receivedAt,
            e instanceof Error ? e.message.slice(0, 500) : String(e),
            JSON.stringify(row.post ?? null),
          ],
        );
        r = { ...emptyResult(), claimed: 1, deadLetters: 1 };
      }
      await client.query('commit');
      total = total ? merge(total, r) : r;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  }
  return total;
}

export function emptyResult(): BatchResult {
  return {
    claimed: 0,
    stored: 0,
    duplicates: 0,
    ignored: 0,
    deadLetters: 0,
    created: [],
    updated: [],
    assigned: [],
    arrivals: [],
  };
}

function merge(a: BatchResult, b: BatchResult): BatchResult {
  return {
    claimed: a.claimed + b.claimed,
    stored: a.stored + b.stored,
    duplicates: a.duplicates + b.duplicates,
    ignored: a.ignored + b.ignored,
    deadLetters: a.deadLetters + b.deadLetters,
    created: [...a.created, ...b.created],
    updated: [...a.updated, ...b.updated],
    assigned: [...a.assigned, ...b.assigned],
    arrivals: [...a.arrivals, ...b.arrivals],
  };
}

/**
 * Posts claimed per batch at most. Under a backlog, bigger batches amortise each transaction's fixed
 * work (2,500: ≈ 1,670 posts/s drained against ≈ 1,110 at 1,000, `npm run bench -- ingest`); when the
 * queue is short a batch is simply what is queued.
 */
export const DRAIN_BATCH_SIZE = 2500;

/** Claims and processes one batch; null when the queue was empty. */
export async function drainOnce(deps: DrainDeps, batchSize = DRAIN_BATCH_SIZE): Promise<BatchResult | null> {
  const client = await deps.pool.connect();
  try {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt(client, deps, batchSize);
      } catch (e) {
        if (isRetryable(e) && tries < 8) {
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (tries + 1)));
          continue;
        }
        if (isRetryable(e) || !isIsolatable(e)) throw e;
        return await isolate(client, deps, batchSize);
      }
    }
  } finally {
    client.release();
  }
}

/** Drains until the queue is empty; returns the totals. */
export async function drainAll(deps: DrainDeps, batchSize = DRAIN_BATCH_SIZE): Promise<BatchResult> {
  let total = emptyResult();
  for (;;) {
    const r = await drainOnce(deps, batchSize);
    if (!r) return total;
    total = merge(total, r);
  }
}
