/**
 * A pipeline worker: `concurrency` drain loops in this process (one classifies while another waits
 * on the database). Loops sleep when the queue is empty, backing off from 20 ms to 250 ms, and wake
 * at once on the bus topic `inbound.queued`. Run one per process; add processes to scale out.
 */
import type pg from 'pg';
import type { Db } from '../db/client.ts';
import type { EventBus } from '../lib/event-bus.ts';
import type { Classifier } from './classifier.ts';
import { pipelineConfigCache } from './config.ts';
import { DRAIN_BATCH_SIZE, drainOnce } from './drain.ts';
import type { BatchResult } from './ingest.ts';

export const INBOUND_QUEUED = 'inbound.queued';

export interface WorkerOptions {
  pool: pg.Pool;
  db: Db;
  bus?: EventBus;
  classifier: Classifier;
  concurrency?: number;
  batchSize?: number;
  log?: (msg: string) => void;
  onBatch?: (result: BatchResult, committedAt: number) => void;
}

export interface PipelineWorker {
  stop(): Promise<void>;
}

export function startPipelineWorker(options: WorkerOptions): PipelineWorker {
  const config = pipelineConfigCache(options.db, options.bus);
  const batchSize = options.batchSize ?? DRAIN_BATCH_SIZE;
  let stopping = false;
  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const w of wakers) w();
  };
  const unsubscribe = options.bus?.subscribe(INBOUND_QUEUED, wakeAll) ?? (() => {});
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const loop = async () => {
    let idle = 20;
    while (!stopping) {
      try {
        const r = await drainOnce({ pool: options.pool, classifier: options.classifier, config }, batchSize);
        if (r) options.onBatch?.(r, Date.now());
        if (!r || r.claimed < batchSize / 4) {
          await sleep(r ? 10 : idle);
          idle = r ? 20 : Math.min(250, idle * 2);
        } else idle = 20;
      } catch (e) {
        options.log?.(`pipeline: batch failed: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(1000);
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 2 }, loop);
  return {
    async stop() {
      stopping = true;
      wakeAll();
      unsubscribe();
      await Promise.all(loops);
      config.close();
    },
  };
}
