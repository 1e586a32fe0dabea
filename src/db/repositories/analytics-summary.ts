/**
 * The summary: additive counters (from analytics_daily, or from the facts when filtering by agent,
 * which is not a rollup dimension), exact percentiles (from the facts), and digital silence's two parts
 * (from the facts; the report adds them). COUNTERS is the single definition of each counter:
 * the rollup writes the daily column with the facts expression, the summary sums it back.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { type AnalyticsFilters, factsWhere, SOCIAL_CHANNELS } from './analytics-filters.ts';

/** First response time histogram bounds (seconds, upper, exclusive); the last bucket is open-ended. */
export const FRT_BUCKETS_MIN = [5, 15, 30, 60, 120, 240, 480, 1440] as const;
const FRT_BUCKETS_S: Array<number | null> = [...FRT_BUCKETS_MIN.map((m) => m * 60), null];

export function frtDistributionOf(c: Record<string, number>) {
  return FRT_BUCKETS_S.map((upper, i) => {
    const min = upper === null ? null : upper / 60;
    const label =
      min === null ? `≥ ${FRT_BUCKETS_MIN.at(-1)! / 60} h` : min >= 60 ? `< ${min / 60} h` : `< ${min} min`;
    return { label, upperMinutes: min, count: Number(c[`frtBucket${i}`] ?? 0) };
  });
}

const SOCIAL = `(${SOCIAL_CHANNELS.map((c) => `'${c}'`).join(',')})`;

/** [summary key, daily column or null (derived from dimensions), aggregate over facts `f`, aggregate over daily `d`]. */
export const COUNTERS: Array<[key: string, column: string | null, facts: string, daily?: string]> = [
  ['conversations', 'conversations', 'count(*)'],
  ['responded', 'responded', 'count(f.first_response_at)'],
  ['inboundNeeding', 'inbound_needing', 'coalesce(sum(f.inbound_needing), 0)'],
  ['inboundAnswered', 'inbound_answered', 'coalesce(sum(f.inbound_answered), 0)'],
  ['publicComplaints', 'public_complaints', 'count(*) filter (where f.public_complaint)'],
  ['resolved', 'resolved', 'count(f.resolved_at)'],
  ['frtCount', 'frt_count', 'count(f.frt_wall_s)'],
  ['frtWallSumS', 'frt_wall_sum_s', 'coalesce(sum(f.frt_wall_s), 0)'],
  ['frtBusinessSumS', 'frt_business_sum_s', 'coalesce(sum(f.frt_business_s), 0)'],
  ['resolvedWallSumS', 'resolved_wall_sum_s', 'coalesce(sum(f.resolution_wall_s), 0)'],
  ['slaFirstResponseMet', 'sla_fr_met', "count(*) filter (where f.sla_first_response = 'met')"],
  ['slaFirstResponseMissed', 'sla_fr_missed', "count(*) filter (where f.sla_first_response = 'missed')"],
  ['slaNextResponseCycles', 'sla_next_cycles', 'coalesce(sum(f.sla_next_cycles), 0)'],
  ['slaNextResponseMissed', 'sla_next_missed', 'coalesce(sum(f.sla_next_missed), 0)'],
  ['slaResolutionMet', 'sla_res_met', "count(*) filter (where f.sla_resolution = 'met')"],
  ['slaResolutionMissed', 'sla_res_missed', "count(*) filter (where f.sla_resolution = 'missed')"],
  ['noticePosted', 'notice_posted', "count(*) filter (where f.resolution_notice = 'posted')"],
  ['noticeWaived', 'notice_waived', "count(*) filter (where f.resolution_notice = 'waived')"],
  ['noticeMissing', 'notice_missing', "count(*) filter (where f.resolution_notice = 'missing')"],
  ['noticePending', 'notice_pending', "count(*) filter (where f.resolution_notice = 'pending')"],
  [
    'sentimentPairs',
    'sentiment_pairs',
    'count(*) filter (where f.sentiment_first is not null and f.sentiment_last is not null)',
  ],
  ['sentimentShiftSum', 'sentiment_shift_sum', 'coalesce(sum(f.sentiment_last - f.sentiment_first), 0)'],
  ['sentimentImproved', 'sentiment_improved', 'count(*) filter (where f.sentiment_last > f.sentiment_first)'],
  ['sentimentWorsened', 'sentiment_worsened', 'count(*) filter (where f.sentiment_last < f.sentiment_first)'],
  [
    'sentimentUnchanged',
    'sentiment_unchanged',
    'count(*) filter (where f.sentiment_last = f.sentiment_first)',
  ],
  ['openedSupport', 'opened_support', "count(*) filter (where f.initial_queue = 'support')"],
  ['openedMarketing', 'opened_marketing', "count(*) filter (where f.initial_queue = 'marketing')"],
  ['openedModeration', 'opened_moderation', "count(*) filter (where f.initial_queue = 'moderation')"],
  ['misrouted', 'misrouted', 'count(*) filter (where f.queue_handoffs > 0)'],
  ['handoffs', 'handoffs', 'coalesce(sum(f.handoffs), 0)'],
  ['noResponseNeeded', 'no_response_needed', 'count(*) filter (where f.no_response_needed)'],
  // First response time histogram: bucket i holds FRT_BUCKETS_S[i-1] <= frt < FRT_BUCKETS_S[i]
  ...FRT_BUCKETS_S.map((_, i) => {
    const lo = i === 0 ? null : FRT_BUCKETS_S[i - 1];
    const hi = FRT_BUCKETS_S[i];
    const cond = [
      lo === null ? 'f.frt_wall_s is not null' : `f.frt_wall_s >= ${lo}`,
      hi === null ? null : `f.frt_wall_s < ${hi}`,
    ]
      .filter(Boolean)
      .join(' and ');
    return [`frtBucket${i}`, `frt_b${i}`, `count(*) filter (where ${cond})`] as [string, string, string];
  }),
  // Derived from the dimensions of the daily rollup
  [
    'queueSupport',
    null,
    "count(*) filter (where f.queue = 'support')",
    "sum(d.conversations) filter (where d.queue = 'support')",
  ],
  [
    'queueMarketing',
    null,
    "count(*) filter (where f.queue = 'marketing')",
    "sum(d.conversations) filter (where d.queue = 'marketing')",
  ],
  [
    'queueModeration',
    null,
    "count(*) filter (where f.queue = 'moderation')",
    "sum(d.conversations) filter (where d.queue = 'moderation')",
  ],
  [
    'socialComplaints',
    null,
    `count(*) filter (where f.intent = 'complaint' and f.channel_kind in ${SOCIAL})`,
    `sum(d.conversations) filter (where d.intent = 'complaint' and d.channel_kind in ${SOCIAL})`,
  ],
  [
    'allComplaints',
    null,
    "count(*) filter (where f.intent = 'complaint')",
    "sum(d.conversations) filter (where d.intent = 'complaint')",
  ],
  [
    'socialConversations',
    null,
    `count(*) filter (where f.channel_kind in ${SOCIAL})`,
    `sum(d.conversations) filter (where d.channel_kind in ${SOCIAL})`,
  ],
  [
    'socialResolved',
    null,
    `count(f.resolved_at) filter (where f.channel_kind in ${SOCIAL})`,
    `sum(d.resolved) filter (where d.channel_kind in ${SOCIAL})`,
  ],
];

/** Columns and expressions the rollup writes into analytics_daily (group by day and dimensions). */
export const DAILY_COLUMNS = COUNTERS.filter((c) => c[1] !== null).map(
  ([, col, expr]) => [col!, expr] as const,
);

type Num = number | null;

export interface SummaryRow {
  conversations: number;
  responded: number;
  frtWallMedianS: Num;
  frtWallP90S: Num;
  frtBusinessMedianS: Num;
  frtBusinessP90S: Num;
  inboundNeeding: number;
  inboundAnswered: number;
  publicComplaints: number;
  digitalSilence: number;
  stillSilent: number;
  resolved: number;
  resolutionWallMedianS: Num;
  resolutionWallP90S: Num;
  resolutionBusinessMedianS: Num;
  resolutionBusinessP90S: Num;
  slaFirstResponseMet: number;
  slaFirstResponseMissed: number;
  slaNextResponseCycles: number;
  slaNextResponseMissed: number;
  slaResolutionMet: number;
  slaResolutionMissed: number;
  noticePosted: number;
  noticeWaived: number;
  noticeMissing: number;
  noticePending: number;
  sentimentPairs: number;
  sentimentShiftAvg: Num;
  sentimentImproved: number;
  sentimentWorsened: number;
  sentimentUnchanged: number;
  queueSupport: number;
  queueMarketing: number;
  queueModeration: number;
  openedSupport: number;
  openedMarketing: number;
  openedModeration: number;
  misrouted: number;
  handoffs: number;
  socialComplaints: number;
  allComplaints: number;
  socialConversations: number;
  socialResolved: number;
  noResponseNeeded: number;
}

function dailyWhere(f: AnalyticsFilters): SQL {
  const parts: SQL[] = [
    sql`d.day >= (${f.from.toISOString()}::timestamptz at time zone 'UTC')::date`,
    sql`d.day < (${f.to.toISOString()}::timestamptz at time zone 'UTC')::date`,
  ];
  if (f.channel) parts.push(sql`d.channel_kind = ${f.channel}`);
  if (f.queue) parts.push(sql`d.queue = ${f.queue}`);
  if (f.team) parts.push(sql`d.team = ${f.team}`);
  return sql.join(parts, sql` and `);
}

/** Daily rollups cover whole UTC days; the facts answer anything else (agent filter, partial days). */
export function canUseDaily(f: AnalyticsFilters): boolean {
  const whole = (d: Date) => d.getTime() % 86_400_000 === 0;
  return !f.agent && whole(f.from) && whole(f.to);
}

/** Additive counters; `source` forces one (tests check both agree). */
export async function counters(
  db: Db,
  f: AnalyticsFilters,
  source: 'auto' | 'facts' = 'auto',
): Promise<Record<string, number>> {
  const useDaily = source === 'auto' && canUseDaily(f);
  const cols = COUNTERS.map(([key, col, facts, daily]) =>
    sql.raw(`${useDaily ? (daily ?? `sum(d.${col})`) : facts} as "${key}"`),
  );
  const q = useDaily
    ? sql`select ${sql.join(cols, sql`, `)} from analytics_daily d where ${dailyWhere(f)}`
    : sql`select ${sql.join(cols, sql`, `)} from analytics_conversation_facts f where ${factsWhere(f)}`;
  const row = (await db.execute(q)).rows[0] as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)]));
}

const PCT_COLUMNS = [
  ['frt_wall_s', 'frtWall'],
  ['frt_business_s', 'frtBusiness'],
  ['resolution_wall_s', 'resolutionWall'],
  ['resolution_business_s', 'resolutionBusiness'],
] as const;

/** Exact medians and p90s: one sort per column (percentile_cont over an array of fractions). */
async function percentiles(db: Db, f: AnalyticsFilters): Promise<Record<string, Num>> {
  const list = PCT_COLUMNS.map(
    ([col, as]) => `percentile_cont(array[0.5, 0.9]) within group (order by f.${col}) as "${as}"`,
  ).join(', ');
  const row = (
    await db.execute(
      sql`select ${sql.raw(list)} from analytics_conversation_facts f
        where ${factsWhere(f, sql`(f.frt_wall_s is not null or f.resolution_wall_s is not null)`)}`,
    )
  ).rows[0] as Record<string, unknown>;
  const out: Record<string, Num> = {};
  for (const [, as] of PCT_COLUMNS) {
    const v = row[as] as Array<number | string | null> | null;
    out[`${as}MedianS`] = v?.[0] == null ? null : Number(v[0]);
    out[`${as}P90S`] = v?.[1] == null ? null : Number(v[1]);
  }
  return out;
}

/**
 * Digital silence (silenceCondition) in two parts, added up by the report: complaints answered
 * publicly but later than N hours (fixed once answered: cacheable) ...
 */
export async function silenceAnsweredLate(db: Db, f: AnalyticsFilters, hours: number): Promise<number> {
  const row = (
    await db.execute(sql`select count(*) as n from analytics_conversation_facts f
      where ${factsWhere(f, sql`f.public_complaint and not f.no_response_needed and f.first_public_response_at - f.created_at > make_interval(hours => ${hours})`)}`)
  ).rows[0] as Record<string, unknown>;
  return Number(row.n ?? 0);
}

/** ... and complaints still without a public reply after N hours (depends on the time: computed live). */
export async function stillSilent(db: Db, f: AnalyticsFilters, hours: number, now: Date): Promise<number> {
  const row = (
    await db.execute(sql`select count(*) as n from analytics_conversation_facts f
      where ${factsWhere(f, sql`f.public_complaint and not f.no_response_needed and f.first_public_response_at is null and f.created_at < ${now.toISOString()}::timestamptz - make_interval(hours => ${hours})`)}`)
  ).rows[0] as Record<string, unknown>;
  return Number(row.n ?? 0);
}

export type SummaryBase = Omit<SummaryRow, 'digitalSilence' | 'stillSilent'>;

/** Everything in the summary that depends only on the facts and daily rollups (cacheable per rollup run). */
export async function summaryBase(db: Db, f: AnalyticsFilters): Promise<SummaryBase> {
  const [c, p] = await Promise.all([counters(db, f), percentiles(db, f)]);
  const shift = c.sentimentPairs ? Math.round((c.sentimentShiftSum! / c.sentimentPairs) * 1000) / 1000 : null;
  return { ...(c as unknown as SummaryBase), ...p, sentimentShiftAvg: shift };
}
