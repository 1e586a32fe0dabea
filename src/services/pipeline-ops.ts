/**
 * The triage pipeline for operators (HTTP API, the /app/settings/pipeline page and `earshot pipeline`):
 * its status, and the dead letters — posts it could not store — listed, retried or discarded.
 *
 * Retrying moves a dead letter back to inbound_queue with its original arrival time, in one
 * transaction with its audit_log entry; the workers are woken on the bus at COMMIT (pg_notify, so the
 * CLI wakes them too). A retried post is validated again: still bad, it comes back as a new dead letter.
 * Discarding deletes it; the audit entry keeps its error and summary.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  type DeadLetter,
  type DeadLetterRecord,
  type ErrorCount,
  type PipelineStatus,
  pipelineRepository,
} from '../db/repositories/pipeline.ts';
import { auditLog } from '../db/schema/index.ts';
import { NotFoundError } from '../domain/errors.ts';
import { BUS_CHANNEL } from '../lib/event-bus.ts';
import { INBOUND_QUEUED } from '../pipeline/worker.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A dead letter's stored post as the page shows it and the download serves it: JSON indented by two. */
export const payloadJson = (payload: unknown): string => JSON.stringify(payload, null, 2);

/** Who acted: an account (API, app) or the command line (no account). */
export interface OpsActor {
  id: string | null;
  via: 'api' | 'app' | 'cli';
}

export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  /** `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

export const DEAD_LETTER_PAGE = { default: 50, max: 200 } as const;
/** Dead letters moved per transaction by retryAll. */
const RETRY_BATCH = 1000;

export const deadLetterNotFound = (id: number) =>
  new NotFoundError(
    'dead_letter_not_found',
    `No dead letter ${id}: it was retried or discarded already, or never existed.`,
    { id },
  );

async function audit(tx: Tx, actor: OpsActor, action: string, subjectId: string, detail: object) {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    action,
    subjectType: 'inbound_dead_letter',
    subjectId,
    detail: { via: actor.via, ...detail },
  });
}

/** Wakes the pipeline workers (src/pipeline/worker.ts); delivered when the transaction commits. */
async function wakeWorkers(tx: Tx, count: number): Promise<void> {
  await tx.execute(
    sql`select pg_notify(${BUS_CHANNEL}, ${JSON.stringify({ topic: INBOUND_QUEUED, count })})`,
  );
}

/**
 * Takes one dead letter out (retried or discarded) with its audit entry (error, arrival, summary) in
 * one transaction; NotFoundError when it is gone.
 */
function takeOneIn(db: Db) {
  return (
    actor: OpsActor,
    id: number,
    what: 'retry' | 'discard',
    take: (tx: Tx) => Promise<DeadLetter | undefined>,
  ): Promise<DeadLetter> =>
    db.transaction(async (tx) => {
      const taken = await take(tx);
      if (!taken) throw deadLetterNotFound(id);
      const { error, receivedAt, post } = taken;
      await audit(tx, actor, `pipeline.dead_letter.${what}`, String(id), { error, receivedAt, post });
      return taken;
    });
}

export function pipelineOpsService(db: Db, options: { retryBatch?: number } = {}) {
  const retryBatch = options.retryBatch ?? RETRY_BATCH;
  const repo = pipelineRepository(db);
  const takeOne = takeOneIn(db);
  return {
    status: (): Promise<PipelineStatus> => repo.status(),

    async deadLetters(page: { before?: number; limit?: number } = {}): Promise<DeadLetterPage> {
      const limit = Math.min(Math.max(page.limit ?? DEAD_LETTER_PAGE.default, 1), DEAD_LETTER_PAGE.max);
      const rows = await repo.deadLetters({ before: page.before, limit: limit + 1 });
      const deadLetters = rows.slice(0, limit);
      return {
        deadLetters,
        nextBefore: rows.length > limit ? (deadLetters.at(-1)?.id ?? null) : null,
      };
    },

    /** One dead letter with its stored post; NotFoundError `dead_letter_not_found` when it is gone. */
    async deadLetter(id: number): Promise<DeadLetterRecord> {
      const found = await repo.deadLetter(id);
      if (!found) throw deadLetterNotFound(id);
      return found;
    },

    frequentErrors: (limit = 10): Promise<ErrorCount[]> => repo.frequentErrors(limit),

    /** Queues one dead letter again; NotFoundError `dead_letter_not_found` when it is gone. */
    retry: (actor: OpsActor, id: number): Promise<DeadLetter> =>
      takeOne(actor, id, 'retry', async (tx) => {
        const moved = await pipelineRepository(tx).retry(id);
        if (moved) await wakeWorkers(tx, 1);
        return moved;
      }),

    /**
     * Queues again every dead letter (with exactly this error, when given) that exists now — not those
     * that fail again meanwhile — in transactions of 1,000 with one audit entry each. Returns how many.
     */
    async retryAll(actor: OpsActor, filter: { error?: string } = {}): Promise<number> {
      const maxId = await repo.maxDeadLetterId();
      let total = 0;
      let afterId = 0;
      for (;;) {
        const n = await db.transaction(async (tx) => {
          const { moved, lastId } = await pipelineRepository(tx).retryMany({
            ...filter,
            afterId,
            maxId,
            limit: retryBatch,
          });
          if (moved === 0) return 0;
          afterId = lastId;
          await audit(tx, actor, 'pipeline.dead_letter.retry_all', String(maxId), {
            error: filter.error ?? null,
            count: moved,
          });
          await wakeWorkers(tx, moved);
          return moved;
        });
        total += n;
        if (n < retryBatch) return total;
      }
    },

    /** Deletes one dead letter for good (audited); NotFoundError `dead_letter_not_found` when it is gone. */
    discard: (actor: OpsActor, id: number): Promise<DeadLetter> =>
      takeOne(actor, id, 'discard', (tx) => pipelineRepository(tx).discard(id)),
  };
}

export type PipelineOpsService = ReturnType<typeof pipelineOpsService>;
