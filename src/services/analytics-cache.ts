/**
 * The part of a report that depends only on the facts and daily rollups — summary counters and
 * percentiles, the daily series, the breakdowns, the open workload as of the rollup, the hand-off matrix — computed once per rollup generation and filters.
 * Facts change only when the rollup job runs (it bumps the generation in the same transaction), so an
 * entry of the current generation is exactly what a fresh computation would return. Entries live in
 * analytics_report_cache (shared by every web process) and in a small per-process memo; the rollup job
 * precomputes the default views after each run, so a supervisor opening the dashboard gets them warm.
 * Live numbers (complaints still waiting past the silence threshold, community deflection, CSAT) are
 * never cached.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/analytics.ts';
import * as more from '../db/repositories/analytics-more.ts';
import { rollupState } from '../db/repositories/analytics-rollup.ts';
import { analyticsReportCache } from '../db/schema/index.ts';

export const REPORT_DIMENSIONS = ['channel', 'intent', 'queue', 'team', 'agent'] as const;

export interface FactsPart {
  summary: repo.SummaryBase;
  series: repo.SeriesPoint[];
  breakdowns: Record<(typeof REPORT_DIMENSIONS)[number], repo.BreakdownRow[]>;
  /** Open conversations per agent and team as of the rollup, beside the period's volume. */
  workload: { agents: more.WorkloadRow[]; teams: more.WorkloadRow[] };
  handoffs: more.HandoffRow[];
  /** Digital silence among complaints already answered (late): fixed once answered. */
  silenceAnsweredLate: number;
}

export interface FactsPartResult {
  part: FactsPart;
  generation: number;
  lastRunAt: Date | null;
  /** 'memo' (this process), 'table' (another process or the job computed it) or 'computed' now. */
  source: 'memo' | 'table' | 'computed';
}

const MEMO_SIZE = 32;
const memo = new Map<string, { generation: number; part: FactsPart }>();

/** Forget this process's memo (tests: stand in for another web process). */
export function clearReportMemo(): void {
  memo.clear();
}

export function reportCacheKey(f: repo.AnalyticsFilters, silenceHours: number): string {
  return JSON.stringify([
    f.from.toISOString(),
    f.to.toISOString(),
    f.channel,
    f.queue,
    f.team,
    f.agent,
    silenceHours,
  ]);
}

async function compute(db: Db, f: repo.AnalyticsFilters, silenceHours: number): Promise<FactsPart> {
  const [summary, series, b, handoffs, silenceAnsweredLate] = await Promise.all([
    repo.summaryBase(db, f),
    repo.series(db, f),
    repo.breakdowns(db, f, REPORT_DIMENSIONS),
    more.handoffMatrix(db, f),
    repo.silenceAnsweredLate(db, f, silenceHours),
  ]);
  const breakdowns = Object.fromEntries(
    REPORT_DIMENSIONS.map((d) => [d, b[d] ?? []]),
  ) as FactsPart['breakdowns'];
  const [agents, teams] = await Promise.all([
    more.workload(db, f, 'agent', breakdowns.agent),
    more.workload(db, f, 'team', breakdowns.team),
  ]);
  return { summary, series, breakdowns, workload: { agents, teams }, handoffs, silenceAnsweredLate };
}

function remember(key: string, generation: number, part: FactsPart) {
  memo.delete(key);
  memo.set(key, { generation, part });
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
}

export async function factsPart(
  db: Db,
  f: repo.AnalyticsFilters,
  options: { silenceHours: number; cache?: boolean },
): Promise<FactsPartResult> {
  const state = await rollupState(db);
  const key = reportCacheKey(f, options.silenceHours);
  const base = { generation: state.generation, lastRunAt: state.lastRunAt };
  if (options.cache !== false) {
    const hit = memo.get(key);
    if (hit && hit.generation === state.generation) return { ...base, part: hit.part, source: 'memo' };
    const [row] = await db
      .select({ body: analyticsReportCache.body })
      .from(analyticsReportCache)
      .where(and(eq(analyticsReportCache.key, key), eq(analyticsReportCache.generation, state.generation)));
    if (row) {
      const part = row.body as FactsPart;
      remember(key, state.generation, part);
      return { ...base, part, source: 'table' };
    }
  }
  if (options.cache === false) {
    return { ...base, part: await compute(db, f, options.silenceHours), source: 'computed' };
  }
  // Single flight: supervisors opening the same uncached view at once share one computation.
  const flightKey = `${state.generation}|${key}`;
  let flight = inFlight.get(flightKey);
  if (!flight) {
    flight = computeAndStore(db, f, options.silenceHours, key, state.generation).finally(() =>
      inFlight.delete(flightKey),
    );
    inFlight.set(flightKey, flight);
  }
  return { ...base, part: await flight, source: 'computed' };
}

const inFlight = new Map<string, Promise<FactsPart>>();

async function computeAndStore(
  db: Db,
  f: repo.AnalyticsFilters,
  silenceHours: number,
  key: string,
  generation: number,
): Promise<FactsPart> {
  const started = performance.now();
  const part = await compute(db, f, silenceHours);
  const computedMs = Math.round(performance.now() - started);
  // A rollup that committed while this ran may have mixed generations into `part`: serve it, keep it not.
  if ((await rollupState(db)).generation === generation) {
    remember(key, generation, part);
    await db
      .insert(analyticsReportCache)
      .values({ key, generation, body: part, computedMs })
      .onConflictDoUpdate({
        target: analyticsReportCache.key,
        set: { generation, body: part, computedMs, computedAt: new Date() },
        setWhere: sql`${analyticsReportCache.generation} <= ${generation}`,
      });
  }
  return part;
}

/** Drop entries of earlier generations (they can never be served again). */
export async function pruneReportCache(db: Db): Promise<number> {
  const { generation } = await rollupState(db);
  const res = await db
    .delete(analyticsReportCache)
    .where(lt(analyticsReportCache.generation, generation))
    .returning({ key: analyticsReportCache.key });
  return res.length;
}

/** Compute (and cache) the facts part of each view not yet cached for the current generation. */
export async function precomputeReports(
  db: Db,
  views: readonly repo.AnalyticsFilters[],
  silenceHours: number,
): Promise<{ views: number; computed: number; ms: number }> {
  const started = performance.now();
  let computed = 0;
  await pruneReportCache(db);
  for (const f of views) {
    const r = await factsPart(db, f, { silenceHours });
    if (r.source === 'computed') computed++;
  }
  return { views: views.length, computed, ms: Math.round(performance.now() - started) };
}
