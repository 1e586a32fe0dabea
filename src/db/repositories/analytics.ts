/**
 * Metric queries over the analytics facts and daily rollups. Every number on the dashboard, in the
 * API, the CSV export and the printed report comes from these functions (formulas: docs/METRICS.md).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  type AnalyticsFilters,
  type DrilldownMetric,
  drilldownCondition,
  factsWhere,
} from './analytics-filters.ts';

export * from './analytics-filters.ts';
export {
  FRT_BUCKETS_MIN,
  frtDistributionOf,
  type SummaryBase,
  type SummaryRow,
  silenceAnsweredLate,
  stillSilent,
  summaryBase,
} from './analytics-summary.ts';

type Num = number | null;
const num = (v: unknown): Num => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown): number => Number(v ?? 0);

export const BREAKDOWN_DIMENSIONS = ['channel', 'intent', 'queue', 'team', 'agent', 'priority'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
const DIM_COLUMN: Record<BreakdownDimension, string> = {
  channel: 'f.channel_kind',
  intent: 'f.intent',
  queue: 'f.queue',
  team: "coalesce(f.team, '')",
  agent: "coalesce(f.assignee_id::text, '')",
  priority: 'f.priority',
};

export interface BreakdownRow {
  key: string;
  label: string;
  conversations: number;
  responded: number;
  frtWallMedianS: Num;
  /** Averages (from sums): one exact median per group keeps breakdowns fast at volume. */
  frtBusinessAvgS: Num;
  resolved: number;
  resolutionWallAvgS: Num;
  slaFirstResponseMet: number;
  slaFirstResponseMissed: number;
  inboundNeeding: number;
  inboundAnswered: number;
  noticeMissing: number;
  agentReplies: number;
}

const BREAKDOWN_AGGREGATES = `count(*) as conversations, count(f.first_response_at) as responded,
  percentile_cont(0.5) within group (order by f.frt_wall_s) as frt_wall,
  avg(f.frt_business_s) as frt_business, count(f.resolved_at) as resolved, avg(f.resolution_wall_s) as resolution_wall,
  count(*) filter (where f.sla_first_response = 'met') as met,
  count(*) filter (where f.sla_first_response = 'missed') as missed,
  coalesce(sum(f.inbound_needing), 0) as needing, coalesce(sum(f.inbound_answered), 0) as answered,
  count(*) filter (where f.resolution_notice = 'missing') as notice_missing,
  coalesce(sum(f.agent_replies), 0) as agent_replies`;

const round = (v: unknown): Num => (v === null || v === undefined ? null : Math.round(Number(v)));

function toBreakdownRow(
  r: Record<string, unknown>,
  by: BreakdownDimension,
  names: Map<string, string>,
): BreakdownRow {
  const key = String(r.key ?? '');
  return {
    key,
    label: key === '' ? (by === 'agent' ? 'Unassigned' : 'None') : (names.get(key) ?? key),
    conversations: int(r.conversations),
    responded: int(r.responded),
    frtWallMedianS: num(r.frt_wall),
    frtBusinessAvgS: round(r.frt_business),
    resolved: int(r.resolved),
    resolutionWallAvgS: round(r.resolution_wall),
    slaFirstResponseMet: int(r.met),
    slaFirstResponseMissed: int(r.missed),
    inboundNeeding: int(r.needing),
    inboundAnswered: int(r.answered),
    noticeMissing: int(r.notice_missing),
    agentReplies: int(r.agent_replies),
  };
}

const byCount = (a: BreakdownRow, b: BreakdownRow) =>
  b.conversations - a.conversations || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function breakdown(
  db: Db,
  f: AnalyticsFilters,
  by: BreakdownDimension,
): Promise<BreakdownRow[]> {
  return (await breakdowns(db, f, [by]))[by] ?? [];
}

/** Breakdowns by several dimensions (one query each, run side by side), each sorted by volume. */
export async function breakdowns(
  db: Db,
  f: AnalyticsFilters,
  dims: readonly BreakdownDimension[] = ['channel', 'intent', 'queue', 'team', 'agent'],
): Promise<Partial<Record<BreakdownDimension, BreakdownRow[]>>> {
  const results = await Promise.all(
    dims.map(async (d) => {
      const res = await db.execute(sql`
        select ${sql.raw(DIM_COLUMN[d])} as key, ${sql.raw(BREAKDOWN_AGGREGATES)}
        from analytics_conversation_facts f where ${factsWhere(f)} group by 1`);
      const rows = res.rows as Array<Record<string, unknown>>;
      const names =
        d === 'agent'
          ? await userNames(db, rows.map((r) => String(r.key ?? '')).filter(Boolean))
          : new Map<string, string>();
      return [d, rows.map((r) => toBreakdownRow(r, d, names)).sort(byCount)] as const;
    }),
  );
  return Object.fromEntries(results);
}

export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const res = await db.execute<{ id: string; display_name: string }>(
    sql`select id::text, display_name from users where id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
  return new Map(res.rows.map((r) => [r.id, r.display_name]));
}

export interface SeriesPoint {
  day: string;
  conversations: number;
  publicComplaints: number;
  responded: number;
  resolved: number;
  frtWallAvgS: Num;
  slaFirstResponseMet: number;
  slaFirstResponseMissed: number;
  noticeMissing: number;
  misrouted: number;
}

/** Daily series. Reads analytics_daily, or the facts when filtering by agent (not a rollup dimension). */
export async function series(db: Db, f: AnalyticsFilters): Promise<SeriesPoint[]> {
  let q: SQL;
  if (f.agent) {
    q = sql`select (f.created_at at time zone 'UTC')::date::text as day, count(*) as conversations,
      count(*) filter (where f.public_complaint) as public_complaints, count(f.first_response_at) as responded,
      count(f.resolved_at) as resolved, count(f.frt_wall_s) as frt_count, coalesce(sum(f.frt_wall_s), 0) as frt_sum,
      count(*) filter (where f.sla_first_response = 'met') as met,
      count(*) filter (where f.sla_first_response = 'missed') as missed,
      count(*) filter (where f.resolution_notice = 'missing') as notice_missing,
      count(*) filter (where f.queue_handoffs > 0) as misrouted
      from analytics_conversation_facts f where ${factsWhere(f)} group by 1 order by 1`;
  } else {
    const parts: SQL[] = [
      sql`d.day >= (${f.from.toISOString()}::timestamptz at time zone 'UTC')::date`,
      sql`d.day < (${f.to.toISOString()}::timestamptz at time zone 'UTC')::date`,
    ];
    if (f.channel) parts.push(sql`d.channel_kind = ${f.channel}`);
    if (f.queue) parts.push(sql`d.queue = ${f.queue}`);
    if (f.team) parts.push(sql`d.team = ${f.team}`);
    q = sql`select d.day::text as day, sum(d.conversations) as conversations,
      sum(d.public_complaints) as public_complaints, sum(d.responded) as responded, sum(d.resolved) as resolved,
      sum(d.frt_count) as frt_count, sum(d.frt_wall_sum_s) as frt_sum, sum(d.sla_fr_met) as met,
      sum(d.sla_fr_missed) as missed, sum(d.notice_missing) as notice_missing, sum(d.misrouted) as misrouted
      from analytics_daily d where ${sql.join(parts, sql` and `)} group by 1 order by 1`;
  }
  const res = await db.execute(q);
  const byDay = new Map((res.rows as Array<Record<string, unknown>>).map((r) => [String(r.day), r]));
  // Every day of the period, zeros included: a time series without gaps.
  const days: string[] = [];
  for (let t = f.from.getTime(); t < f.to.getTime(); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days
    .map((day): Record<string, unknown> => byDay.get(day) ?? { day })
    .map((r) => ({
      day: String(r.day),
      conversations: int(r.conversations),
      publicComplaints: int(r.public_complaints),
      responded: int(r.responded),
      resolved: int(r.resolved),
      frtWallAvgS: int(r.frt_count) > 0 ? Math.round(Number(r.frt_sum) / int(r.frt_count)) : null,
      slaFirstResponseMet: int(r.met),
      slaFirstResponseMissed: int(r.missed),
      noticeMissing: int(r.notice_missing),
      misrouted: int(r.misrouted),
    }));
}

export interface DrilldownRow {
  id: string;
  subject: string;
  createdAt: string;
  channelKind: string;
  queue: string;
  intent: string;
  status: string;
  frtWallS: Num;
  resolutionNotice: string | null;
}

export async function drilldown(
  db: Db,
  f: AnalyticsFilters,
  metric: DrilldownMetric,
  opts: { silenceHours: number; now: Date; limit: number; before?: Date },
): Promise<DrilldownRow[]> {
  const extra = [drilldownCondition(metric, opts.silenceHours, opts.now)];
  if (opts.before) extra.push(sql`f.created_at < ${opts.before.toISOString()}::timestamptz`);
  const res = await db.execute(sql`
    select f.conversation_id as id, coalesce(c.subject, '') as subject, f.created_at, f.channel_kind, f.queue,
      f.intent, f.status, f.frt_wall_s, f.resolution_notice
    from analytics_conversation_facts f left join conversations c on c.id = f.conversation_id
    where ${factsWhere(f, sql.join(extra, sql` and `))}
    order by f.created_at desc, f.conversation_id limit ${opts.limit}`);
  return (res.rows as Array<Record<string, unknown>>).map((r) => ({
    id: String(r.id),
    subject: String(r.subject),
    createdAt: new Date(r.created_at as string).toISOString(),
    channelKind: String(r.channel_kind),
    queue: String(r.queue),
    intent: String(r.intent),
    status: String(r.status),
    frtWallS: num(r.frt_wall_s),
    resolutionNotice: (r.resolution_notice as string | null) ?? null,
  }));
}
