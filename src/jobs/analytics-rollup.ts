/**
 * Analytics rollup job: refresh the facts of conversations touched since the last run and the daily
 * rollups of their days. Register in src/jobs/boss.ts: createQueue(ANALYTICS_ROLLUP_JOB), and in
 * workers schedule(ANALYTICS_ROLLUP_JOB, ANALYTICS_ROLLUP_CRON) + work(..., () => runAnalyticsRollupJob(db)).
 * Safe to run concurrently: an advisory lock lets one run at a time; the others return skipped.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type RollupResult, runAnalyticsRollupOnce } from '../db/repositories/analytics-rollup.ts';
import { getAnalyticsSettings, resolvePeriod } from '../services/analytics.ts';
import { precomputeReports } from '../services/analytics-cache.ts';

export const ANALYTICS_ROLLUP_JOB = 'analytics-rollup';
export const ANALYTICS_ROLLUP_CRON = '*/5 * * * *';
const LOCK = 7_342_107;

export async function runAnalyticsRollup(
  db: Db,
  options: { now?: Date; rebuild?: boolean } = {},
): Promise<RollupResult | { skipped: true }> {
  // One transaction: a transaction-scoped advisory lock, and facts + daily rows change together.
  return db.transaction(async (tx) => {
    const got = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK}) as ok`);
    if (!got.rows[0]?.ok) return { skipped: true as const };
    return runAnalyticsRollupOnce(tx as unknown as Db, options);
  });
}

/** The periods the dashboard offers without a custom range: their unfiltered reports are precomputed. */
export const PRECOMPUTED_PERIODS = ['7d', '30d', '90d', '365d', 'week', 'month'] as const;

/**
 * The scheduled job: roll up, then warm the report cache for the default views of the new generation
 * (a supervisor opening the dashboard reads them instead of computing them).
 */
export async function runAnalyticsRollupJob(db: Db, options: { now?: Date } = {}) {
  const rollup = await runAnalyticsRollup(db, options);
  if ('skipped' in rollup) return rollup;
  const now = options.now ?? new Date();
  const views = PRECOMPUTED_PERIODS.map((period) => {
    const { from, to } = resolvePeriod({ period }, now);
    return { from, to };
  });
  const { silenceHours } = await getAnalyticsSettings(db);
  return { ...rollup, precomputed: await precomputeReports(db, views, silenceHours) };
}
