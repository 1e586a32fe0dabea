/**
 * Outbox job: sends replies whose undo window has passed. Web processes send a wake-up job at the
 * end of each undo window (startAfter); a schedule every minute is the safety net (missed wake-ups,
 * rate-limit retries, replies left in 'sending' by a crash).
 *
 * Register in src/jobs/boss.ts:
 *   await boss.createQueue(OUTBOX_JOB);
 *   if (options.work) { await boss.schedule(OUTBOX_JOB, '* * * * *', {}); await boss.work(OUTBOX_JOB, () => runOutbox(...)); }
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../db/client.ts';
import type { EventBus } from '../lib/event-bus.ts';
import type { Mailer } from '../lib/mailer.ts';
import { outbox } from '../services/outbox.ts';

export const OUTBOX_JOB = 'outbox-send';

export interface OutboxJobDeps {
  database: Database;
  encryptionKey: Buffer;
  baseUrl?: string;
  bus?: EventBus;
  mailer?: Mailer;
}

/** Drain due replies in batches until none is left (bounded). */
export async function runOutbox(
  deps: OutboxJobDeps,
): Promise<{ sent: number; failed: number; retry: number }> {
  const box = outbox({ ...deps, db: deps.database.db });
  const total = { sent: 0, failed: 0, retry: 0 };
  for (let i = 0; i < 50; i++) {
    const r = await box.processDue();
    total.sent += r.sent;
    total.failed += r.failed;
    total.retry += r.retry;
    if (r.sent + r.failed + r.retry === 0) break;
  }
  return total;
}

export async function registerOutboxJob(boss: PgBoss, deps: OutboxJobDeps, work: boolean): Promise<void> {
  await boss.createQueue(OUTBOX_JOB);
  if (!work) return;
  await boss.schedule(OUTBOX_JOB, '* * * * *', {});
  await boss.work(OUTBOX_JOB, { batchSize: 1 }, async () => runOutbox(deps));
}
