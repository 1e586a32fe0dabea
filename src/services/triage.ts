/**
 * The pipeline as the rest of Earshot uses it: `intake` acknowledges posts (durable queue) and wakes
 * the workers; `startWorker` runs the drain loops in this process (worker or all-in-one mode).
 */
import type { Database } from '../db/client.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import type { EventBus } from '../lib/event-bus.ts';
import { type Classifier, reloadingClassifier } from '../pipeline/classifier.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { INBOUND_QUEUED, type PipelineWorker, startPipelineWorker } from '../pipeline/worker.ts';

export interface TriageDeps {
  database: Database;
  bus?: EventBus;
}

/** Acknowledge posts: committed in inbound_queue when this resolves. Returns how many. */
export async function intakePosts(deps: TriageDeps, posts: readonly InboundPost[]): Promise<number> {
  const n = await enqueueInbound(deps.database.pool, posts);
  if (n > 0) await deps.bus?.publish({ topic: INBOUND_QUEUED, count: n }).catch(() => {});
  return n;
}

export function triageService(deps: TriageDeps) {
  return {
    intake: (posts: readonly InboundPost[]) => intakePosts(deps, posts),
    startWorker(
      options: {
        concurrency?: number;
        batchSize?: number;
        classifier?: Classifier;
        log?: (m: string) => void;
      } = {},
    ): PipelineWorker {
      // Retrained models (earshot model retrain) are picked up within a minute.
      const reloading = options.classifier
        ? undefined
        : reloadingClassifier({ intervalMs: 60_000, ...(options.log ? { log: options.log } : {}) });
      const worker = startPipelineWorker({
        pool: deps.database.pool,
        db: deps.database.db,
        ...(deps.bus ? { bus: deps.bus } : {}),
        classifier: options.classifier ?? reloading!,
        concurrency: options.concurrency ?? 2,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.log ? { log: options.log } : {}),
      });
      return {
        ...worker,
        stop: async () => {
          reloading?.stop();
          await worker.stop();
        },
      };
    },
  };
}
