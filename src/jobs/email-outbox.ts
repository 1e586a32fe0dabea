/**
 * Email outbox job: every minute (and when woken), send due emails, retry failures with back-off,
 * release rows a crashed worker left in 'sending'. Register in src/jobs/boss.ts:
 *   await boss.createQueue(EMAIL_OUTBOX_JOB);
 *   await boss.schedule(EMAIL_OUTBOX_JOB, EMAIL_OUTBOX_CRON, {});
 *   await boss.work(EMAIL_OUTBOX_JOB, () => runEmailOutbox(database.db, config));
 */
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import { deliverDueEmails } from '../services/email-outbox.ts';
import { loadEmailSettings } from '../services/email-settings.ts';

export const EMAIL_OUTBOX_JOB = 'email-outbox';
export const EMAIL_OUTBOX_CRON = '* * * * *';

export async function runEmailOutbox(
  db: Db,
  config: Pick<Config, 'mailFrom' | 'smtpUrl' | 'baseUrl' | 'encryptionKey'>,
): Promise<{ sent: number; retry: number; failed: number; released: number }> {
  const settings = await loadEmailSettings(db, config);
  let total = { sent: 0, retry: 0, failed: 0, released: 0 };
  for (let i = 0; i < 10; i++) {
    const r = await deliverDueEmails({ db, settings });
    total = {
      sent: total.sent + r.sent,
      retry: total.retry + r.retry,
      failed: total.failed + r.failed,
      released: total.released + r.released,
    };
    if (r.sent + r.retry + r.failed < 100) break;
  }
  return total;
}
