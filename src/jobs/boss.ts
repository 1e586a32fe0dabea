/**
 * Background jobs on pg-boss in the same PostgreSQL. Web processes only create queues and send jobs;
 * worker processes (and `earshot start`) also schedule and work them. Each job lives in
 * src/jobs/<job>.ts; this file is the one list of them.
 */
import PgBoss from 'pg-boss';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/client.ts';
import type { EventBus } from '../lib/event-bus.ts';
import { createMailer } from '../lib/mailer.ts';
import { ANALYTICS_ROLLUP_CRON, ANALYTICS_ROLLUP_JOB, runAnalyticsRollupJob } from './analytics-rollup.ts';
import { ASSIGN_BACKLOG_CRON, ASSIGN_BACKLOG_JOB, runAssignBacklog } from './assign-backlog.ts';
import { EMAIL_IMAP_POLL_CRON, EMAIL_IMAP_POLL_JOB, pollImapOnce } from './email-inbound.ts';
import { EMAIL_OUTBOX_CRON, EMAIL_OUTBOX_JOB, runEmailOutbox } from './email-outbox.ts';
import { HOUSEKEEPING_JOB, runHousekeeping } from './housekeeping.ts';
import { registerOutboxJob } from './outbox.ts';
import { registerPollChannels } from './poll-channels.ts';
import { PUBLISH_SCHEDULED_CRON, PUBLISH_SCHEDULED_JOB, runPublishScheduled } from './publish-scheduled.ts';
import { registerSlaTimers } from './sla-timers.ts';

const MAIL_RETRY_JOB = 'mail-retry';

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

export interface JobsOptions {
  work: boolean;
  log: (msg: string) => void;
  /** Needed by jobs that talk to platforms or publish realtime events; omitted in narrow tests. */
  config?: Config;
  bus?: EventBus;
}

/** A cron job with one handler. */
interface CronJob {
  name: string;
  cron: string;
  run: () => Promise<unknown>;
}

export async function startJobs(database: Database, options: JobsOptions): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: database.url,
    schema: 'pgboss',
    max: 4,
    application_name: 'earshot-jobs',
  });
  boss.on('error', (err) => options.log(`jobs: ${err.message}`));
  await boss.start();
  const { config, bus, log } = options;
  const db = database.db;

  const cronJobs: CronJob[] = [
    { name: HOUSEKEEPING_JOB, cron: '*/5 * * * *', run: () => runHousekeeping(db, database.pool) },
    {
      name: PUBLISH_SCHEDULED_JOB,
      cron: PUBLISH_SCHEDULED_CRON,
      run: () => runPublishScheduled(db, new Date(), bus),
    },
    { name: ANALYTICS_ROLLUP_JOB, cron: ANALYTICS_ROLLUP_CRON, run: () => runAnalyticsRollupJob(db) },
    { name: ASSIGN_BACKLOG_JOB, cron: ASSIGN_BACKLOG_CRON, run: () => runAssignBacklog(database) },
  ];
  const mailer = config ? createMailer(db, { smtpUrl: config.smtpUrl, from: config.mailFrom }) : undefined;
  if (config && mailer) {
    cronJobs.push(
      // System mail (SLA escalations, community accounts) that failed to send is retried.
      { name: MAIL_RETRY_JOB, cron: '*/5 * * * *', run: () => mailer.flush() },
      { name: EMAIL_OUTBOX_JOB, cron: EMAIL_OUTBOX_CRON, run: () => runEmailOutbox(db, config) },
      {
        name: EMAIL_IMAP_POLL_JOB,
        cron: EMAIL_IMAP_POLL_CRON,
        run: () => pollImapOnce({ db, pool: database.pool, config, log }),
      },
    );
  }
  for (const job of cronJobs) await boss.createQueue(job.name);
  if (config && mailer) {
    await registerOutboxJob(
      boss,
      { database, encryptionKey: config.encryptionKey, baseUrl: config.baseUrl, bus, mailer },
      options.work,
    );
  }
  if (options.work) {
    for (const job of cronJobs) {
      await boss.schedule(job.name, job.cron, {});
      await boss.work(job.name, async () => {
        const result = await job.run();
        log(`${job.name}: ${JSON.stringify(result)}`);
        return result;
      });
    }
    if (config) {
      await registerPollChannels(boss, { database, bus, encryptionKey: config.encryptionKey, log });
      const mail = mailer && { mailer, smtpConfigured: Boolean(config.smtpUrl), baseUrl: config.baseUrl };
      await registerSlaTimers(boss, { database, bus, log, ...(mail ? { mail } : {}) });
    }
  }
  return {
    boss,
    stop: () => boss.stop({ graceful: true, timeout: 5_000 }),
  };
}
