/** Analytics beyond the facts: live workload, community deflection, CSAT and hand-off matrix. */
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import type { BreakdownRow } from './analytics.ts';
import { userNames } from './analytics.ts';
import { type AnalyticsFilters, factsWhere } from './analytics-filters.ts';

const int = (v: unknown): number => Number(v ?? 0);

export interface WorkloadRow {
  key: string;
  label: string;
  openNow: number;
  conversations: number;
  resolved: number;
  agentReplies: number;
}

/**
 * Agent (or team) workload: the period's figures come from the breakdown rows (conversations opened
 * in the period and assigned to them, resolved, agent replies); "open now" counts conversations
 * active right now (as of the last rollup; same channel/queue/team/agent filters, any period).
 */
export async function workload(
  db: Db,
  f: AnalyticsFilters,
  by: 'agent' | 'team',
  period: readonly BreakdownRow[],
): Promise<WorkloadRow[]> {
  const col = sql.raw(by === 'agent' ? "coalesce(f.assignee_id::text, '')" : "coalesce(f.team, '')");
  const parts = [sql`f.status in ('new', 'open', 'waiting_on_customer')`];
  if (f.channel) parts.push(sql`f.channel_kind = ${f.channel}`);
  if (f.queue) parts.push(sql`f.queue = ${f.queue}`);
  if (f.team) parts.push(sql`f.team = ${f.team}`);
  if (f.agent) parts.push(sql`f.assignee_id = ${f.agent}::uuid`);
  const res = await db.execute(sql`select ${col} as key, count(*) as n from analytics_conversation_facts f
    where ${sql.join(parts, sql` and `)} group by 1`);
  const open = new Map(
    (res.rows as Array<{ key: string; n: unknown }>).map((r) => [String(r.key ?? ''), int(r.n)]),
  );
  const rows = new Map<string, WorkloadRow>();
  for (const r of period) {
    rows.set(r.key, {
      key: r.key,
      label: r.label,
      openNow: open.get(r.key) ?? 0,
      conversations: r.conversations,
      resolved: r.resolved,
      agentReplies: r.agentReplies,
    });
  }
  const missing = [...open.keys()].filter((k) => !rows.has(k));
  const names = by === 'agent' ? await userNames(db, missing.filter(Boolean)) : new Map<string, string>();
  for (const key of missing) {
    const label = key === '' ? (by === 'agent' ? 'Unassigned' : 'No team') : (names.get(key) ?? key);
    rows.set(key, {
      key,
      label,
      openNow: open.get(key) ?? 0,
      conversations: 0,
      resolved: 0,
      agentReplies: 0,
    });
  }
  return [...rows.values()].sort(
    (a, b) => b.openNow - a.openNow || b.conversations - a.conversations || a.label.localeCompare(b.label),
  );
}

export interface CommunityDeflection {
  topics: number;
  answeredByMembers: number;
  answeredByStaff: number;
  unanswered: number;
}

const STAFF = "('admin','supervisor','agent','trainee','marketing','moderator')";

/**
 * Public forum topics started in the period: answered by staff (any visible reply by a staff
 * account, or a staff reply / resolution notice), else by members (a visible reply by someone other
 * than the topic's author), else unanswered.
 */
export async function communityDeflection(db: Db, from: Date, to: Date): Promise<CommunityDeflection> {
  const res = await db.execute(sql`
    with t as (
      select t.id,
        coalesce(bool_or(p.id is not null and (p.kind in ('staff_reply', 'resolution_notice')
          or u.role in ${sql.raw(STAFF)})), false) as staff,
        coalesce(bool_or(p.id is not null and p.author_id is distinct from t.author_id), false) as anyone
      from community_topics t
      left join community_posts p on p.topic_id = t.id and p.post_number > 1 and p.status = 'visible'
        and p.kind <> 'moderator_notice'
      left join users u on u.id = p.author_id
      where t.visibility = 'public' and t.status = 'visible' and t.merged_into_id is null
        and t.created_at >= ${from.toISOString()}::timestamptz and t.created_at < ${to.toISOString()}::timestamptz
      group by t.id)
    select count(*) as topics, count(*) filter (where staff) as staff,
      count(*) filter (where not staff and anyone) as members,
      count(*) filter (where not staff and not anyone) as unanswered
    from t`);
  const r = res.rows[0] as Record<string, unknown>;
  return {
    topics: int(r.topics),
    answeredByStaff: int(r.staff),
    answeredByMembers: int(r.members),
    unanswered: int(r.unanswered),
  };
}

export interface CsatSummary {
  sent: number;
  responses: number;
  satisfied: number;
  unsatisfied: number;
  averageScore: number | null;
  distribution: number[];
}

/** Surveys sent in the period for conversations matching the filters (dimensions from the facts). */
export async function csatSummary(db: Db, f: AnalyticsFilters): Promise<CsatSummary> {
  const dims = { ...f, from: new Date(0), to: new Date('9999-01-01T00:00:00Z') };
  const res = await db.execute(sql`
    select count(*) as sent, count(c.score) as responses,
      count(*) filter (where c.score >= 4) as satisfied, count(*) filter (where c.score <= 2) as unsatisfied,
      avg(c.score) as avg_score,
      ${sql.raw([1, 2, 3, 4, 5].map((s) => `count(*) filter (where c.score = ${s}) as s${s}`).join(', '))}
    from csat_responses c join analytics_conversation_facts f on f.conversation_id = c.conversation_id
    where c.sent_at >= ${f.from.toISOString()}::timestamptz and c.sent_at < ${f.to.toISOString()}::timestamptz
      and ${factsWhere(dims)}`);
  const r = res.rows[0] as Record<string, unknown>;
  return {
    sent: int(r.sent),
    responses: int(r.responses),
    satisfied: int(r.satisfied),
    unsatisfied: int(r.unsatisfied),
    averageScore: r.avg_score === null ? null : Math.round(Number(r.avg_score) * 100) / 100,
    distribution: [1, 2, 3, 4, 5].map((s) => int(r[`s${s}`])),
  };
}

export interface HandoffRow {
  fromQueue: string;
  toQueue: string;
  count: number;
}

/** Misrouted conversations opened in the period, from the queue they opened in to the queue they are in now. */
export async function handoffMatrix(db: Db, f: AnalyticsFilters): Promise<HandoffRow[]> {
  const res = await db.execute(sql`
    select f.initial_queue as from_queue, f.queue as to_queue, count(*) as n
    from analytics_conversation_facts f
    where ${factsWhere(f, sql`f.queue_handoffs > 0`)}
    group by 1, 2 order by 3 desc, 1, 2`);
  return (res.rows as Array<Record<string, unknown>>).map((r) => ({
    fromQueue: String(r.from_queue),
    toQueue: String(r.to_queue),
    count: int(r.n),
  }));
}
