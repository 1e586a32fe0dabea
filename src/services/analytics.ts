/**
 * Analytics service: settings (admin-entered costs), periods, and the full report that the
 * dashboard, the JSON API, the CSV export and the printable report all render. One code path,
 * so the numbers agree everywhere. Formulas: docs/METRICS.md.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import * as repo from '../db/repositories/analytics.ts';
import * as more from '../db/repositories/analytics-more.ts';
import { settings } from '../db/schema/index.ts';
import { InvalidError } from '../domain/errors.ts';
import { factsPart } from './analytics-cache.ts';
import { computeRates, type Rates, type Roi, roiFor } from './analytics-metrics.ts';

export interface AnalyticsSettings {
  currency: string;
  /** Digital silence threshold: a public complaint with no public reply after this many hours. */
  silenceHours: number;
  /** Monthly cost of social customer service (people + tools), for cost per resolution. */
  socialMonthlyCost: number | null;
  /** Cost of one resolution on the phone (from the contact centre's own figures). */
  phoneCostPerResolution: number | null;
  /** Loaded hourly cost of an agent: values the hours community answers save. */
  agentHourlyCost: number | null;
  /** Minutes an agent would spend answering one forum question a member answered instead. */
  minutesPerStaffAnswer: number;
  /** Contacts per month outside Earshot (phone, email to other systems): the denominator of social share. */
  otherContactsPerMonth: number;
}

export const DEFAULT_SETTINGS: AnalyticsSettings = {
  currency: 'EUR',
  silenceHours: 4,
  socialMonthlyCost: null,
  phoneCostPerResolution: null,
  agentHourlyCost: null,
  minutesPerStaffAnswer: 15,
  otherContactsPerMonth: 0,
};

const SETTINGS_KEY = 'analytics';

export async function getAnalyticsSettings(db: Db): Promise<AnalyticsSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SETTINGS_KEY));
  return { ...DEFAULT_SETTINGS, ...((row?.value as Partial<AnalyticsSettings> | undefined) ?? {}) };
}

export async function saveAnalyticsSettings(
  db: Db,
  input: Partial<AnalyticsSettings>,
): Promise<AnalyticsSettings> {
  const next = { ...(await getAnalyticsSettings(db)), ...input };
  if (!(next.silenceHours > 0 && next.silenceHours <= 720))
    throw new InvalidError('invalid_silence_hours', 'silence hours must be between 0 and 720');
  for (const k of ['socialMonthlyCost', 'phoneCostPerResolution', 'agentHourlyCost'] as const) {
    const v = next[k];
    if (v !== null && !(Number.isFinite(v) && v >= 0))
      throw new InvalidError('invalid_cost', `${k} must be ≥ 0`);
  }
  for (const k of ['minutesPerStaffAnswer', 'otherContactsPerMonth'] as const) {
    if (!(Number.isFinite(next[k]) && next[k] >= 0))
      throw new InvalidError('invalid_setting', `${k} must be ≥ 0`);
  }
  await db
    .insert(settings)
    .values({ key: SETTINGS_KEY, value: next })
    .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: new Date() } });
  return next;
}

const DAY = 86_400_000;
const utcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

export const PERIODS = ['7d', '30d', '90d', '365d', 'week', 'month', 'custom'] as const;
export type PeriodName = (typeof PERIODS)[number];

function parseDay(s: string, what: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
    throw new InvalidError('invalid_date', `${what} must be a date YYYY-MM-DD`);
  return new Date(`${s}T00:00:00Z`);
}

/**
 * Resolve a period to [from, to) in UTC days. Rolling periods end today (inclusive).
 * 'week' / 'month' are the calendar week (Monday) / month containing `start`, default the last full one.
 */
export function resolvePeriod(
  q: { period?: string; from?: string; to?: string; start?: string },
  now = new Date(),
): { period: PeriodName; from: Date; to: Date } {
  const period = (q.period ?? (q.from || q.to ? 'custom' : '30d')) as PeriodName;
  const tomorrow = new Date(utcDay(now).getTime() + DAY);
  if (period === 'custom') {
    const from = parseDay(q.from ?? '', 'from');
    const to = new Date(parseDay(q.to ?? '', 'to').getTime() + DAY);
    if (to <= from) throw new InvalidError('invalid_period', 'the period ends before it starts');
    if (to.getTime() - from.getTime() > 731 * DAY)
      throw new InvalidError('invalid_period', 'at most two years');
    return { period, from, to };
  }
  if (period === 'week') {
    const ref = q.start ? parseDay(q.start, 'start') : new Date(utcDay(now).getTime() - 7 * DAY);
    const from = new Date(ref.getTime() - ((ref.getUTCDay() + 6) % 7) * DAY);
    return { period, from, to: new Date(from.getTime() + 7 * DAY) };
  }
  if (period === 'month') {
    const ref = q.start
      ? parseDay(q.start, 'start')
      : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const from = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth(), 1));
    return { period, from, to: new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth() + 1, 1)) };
  }
  const days = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 }[period];
  if (!days) throw new InvalidError('invalid_period', `period must be one of ${PERIODS.join(', ')}`);
  return { period, from: new Date(tomorrow.getTime() - days * DAY), to: tomorrow };
}

export interface AnalyticsReport {
  filters: repo.AnalyticsFilters;
  period: PeriodName;
  generatedAt: string;
  rollupAt: string | null;
  settings: AnalyticsSettings;
  summary: repo.SummaryRow;
  rates: Rates;
  series: repo.SeriesPoint[];
  frtDistribution: ReturnType<typeof repo.frtDistributionOf>;
  breakdowns: Record<'channel' | 'intent' | 'queue' | 'team' | 'agent', repo.BreakdownRow[]>;
  workload: { agents: more.WorkloadRow[]; teams: more.WorkloadRow[] };
  community: more.CommunityDeflection;
  csat: more.CsatSummary;
  handoffs: more.HandoffRow[];
  roi: Roi;
}

export async function buildReport(
  db: Db,
  filters: repo.AnalyticsFilters,
  options: { period?: PeriodName; now?: Date; cache?: boolean } = {},
): Promise<AnalyticsReport> {
  const now = options.now ?? new Date();
  const s = await getAnalyticsSettings(db);
  const [facts, still, community, csat] = await Promise.all([
    factsPart(db, filters, { silenceHours: s.silenceHours, cache: options.cache ?? true }),
    repo.stillSilent(db, filters, s.silenceHours, now),
    more.communityDeflection(db, filters.from, filters.to),
    more.csatSummary(db, filters),
  ]);
  const summary: repo.SummaryRow = {
    ...facts.part.summary,
    digitalSilence: facts.part.silenceAnsweredLate + still,
    stillSilent: still,
  };
  const { series, breakdowns: b, workload, handoffs } = facts.part;
  const rollupAt = facts.lastRunAt;
  const dist = repo.frtDistributionOf(summary as unknown as Record<string, number>);
  const rates = computeRates(summary, community, csat, s, filters);
  return {
    filters,
    period: options.period ?? 'custom',
    generatedAt: now.toISOString(),
    rollupAt: rollupAt?.toISOString() ?? null,
    settings: s,
    summary,
    rates,
    series,
    frtDistribution: dist,
    breakdowns: b,
    workload,
    community,
    csat,
    handoffs,
    roi: roiFor(summary, community, s, filters),
  };
}
