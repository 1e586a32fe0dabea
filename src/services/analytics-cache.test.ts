/**
 * The report cache: exact for the rollup generation it was computed from, shared through the table,
 * stale never, and warmed by the rollup job for the default views.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { breakdown } from '../db/repositories/analytics.ts';
import { rollupState } from '../db/repositories/analytics-rollup.ts';
import { analyticsReportCache, conversations } from '../db/schema/index.ts';
import { PRECOMPUTED_PERIODS, runAnalyticsRollup, runAnalyticsRollupJob } from '../jobs/analytics-rollup.ts';
import { buildReport, resolvePeriod } from './analytics.ts';
import { clearReportMemo, factsPart } from './analytics-cache.ts';
import { IDS, insertAnalyticsFixture, NOW, WEEK } from './analytics-fixture.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const H = { silenceHours: 4 };
const at = (min: number) => new Date(NOW.getTime() + min * 60_000);

beforeAll(async () => {
  database = await createTestDatabase();
  await insertAnalyticsFixture(database.db);
  await runAnalyticsRollup(database.db, { now: NOW });
});
afterAll(async () => database?.drop());

describe('analytics report cache', () => {
  it('computes once per generation, then serves the memo, then the table to another process', async () => {
    const db = database.db;
    const first = await factsPart(db, { ...WEEK }, H);
    expect(first.source).toBe('computed');
    expect(first.generation).toBe(1);
    const again = await factsPart(db, { ...WEEK }, H);
    expect(again.source).toBe('memo');
    expect(again.part).toEqual(first.part);
    clearReportMemo();
    const other = await factsPart(db, { ...WEEK }, H);
    expect(other.source).toBe('table');
    expect(other.part).toEqual(first.part);
    // The cached answer is the uncached answer.
    const fresh = await factsPart(db, { ...WEEK }, { ...H, cache: false });
    expect(fresh.source).toBe('computed');
    expect(fresh.part).toEqual(first.part);
    // Viewers of the same uncached view at once share one computation.
    const team = { ...WEEK, team: 'social' };
    const both = await Promise.all([factsPart(db, team, H), factsPart(db, team, H)]);
    expect(both.map((r) => r.source)).toEqual(['computed', 'computed']);
    expect(both[0].part).toBe(both[1].part);
    // Different filters are a different entry.
    expect((await factsPart(db, { ...WEEK, channel: 'x' }, H)).source).toBe('computed');
  });

  it('a rollup that changes facts moves to a new generation; one that changes nothing does not', async () => {
    const db = database.db;
    const before = await buildReport(db, { ...WEEK }, { now: NOW });
    await runAnalyticsRollup(db, { now: at(30) }); // re-reads the overlap: facts rewritten
    const g = (await rollupState(db)).generation;
    await runAnalyticsRollup(db, { now: at(45) }); // nothing changed since
    expect((await rollupState(db)).generation).toBe(g);

    // Reassign one conversation's queue: the next report must show it, not the cached one.
    const queueBefore = before.breakdowns.queue.find((r) => r.key === 'marketing')?.conversations ?? 0;
    await db
      .update(conversations)
      .set({ queue: 'marketing', updatedAt: at(46) })
      .where(eq(conversations.id, IDS.c(1)));
    await runAnalyticsRollup(db, { now: at(47) });
    expect((await rollupState(db)).generation).toBe(g + 1);
    const after = await buildReport(db, { ...WEEK }, { now: at(47) });
    const queueAfter = after.breakdowns.queue.find((r) => r.key === 'marketing')?.conversations ?? 0;
    expect(queueAfter).toBe(queueBefore + 1);
    expect(after.breakdowns.queue).toEqual(await breakdown(db, { ...WEEK }, 'queue'));
  });

  it('the rollup job precomputes the default views and drops older generations', async () => {
    const db = database.db;
    const now = at(60);
    await db
      .update(conversations)
      .set({ updatedAt: at(59) })
      .where(eq(conversations.id, IDS.c(2)));
    const result = await runAnalyticsRollupJob(db, { now });
    // C2, plus C1 still inside the watermark's two-minute overlap
    expect(result).toMatchObject({ conversations: 2, precomputed: { views: PRECOMPUTED_PERIODS.length } });
    const { generation } = await rollupState(db);
    const rows = await db.select().from(analyticsReportCache);
    expect(rows.length).toBeGreaterThanOrEqual(PRECOMPUTED_PERIODS.length);
    expect(rows.every((r) => r.generation === generation)).toBe(true);
    clearReportMemo();
    const { from, to } = resolvePeriod({ period: '30d' }, now);
    expect((await factsPart(db, { from, to }, H)).source).toBe('table');
    const stale = await db.execute(
      sql`select count(*)::int as n from analytics_report_cache where generation < ${generation}`,
    );
    expect(stale.rows[0]).toEqual({ n: 0 });
  });
});
