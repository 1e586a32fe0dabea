/** Filters shared by every analytics query, and the drill-down conditions of each metric (docs/METRICS.md). */
import { type SQL, sql } from 'drizzle-orm';

export interface AnalyticsFilters {
  /** Conversations opened in [from, to). */
  from: Date;
  to: Date;
  channel?: string;
  queue?: string;
  team?: string;
  agent?: string;
}

/** Channels that are public social media or community (everything but email and web forms). */
export const SOCIAL_CHANNELS = ['x', 'facebook', 'reddit', 'mastodon', 'discourse', 'rss', 'forum'] as const;
export const SOCIAL_SQL = sql.raw(`(${SOCIAL_CHANNELS.map((c) => `'${c}'`).join(',')})`);

/** WHERE over analytics_conversation_facts aliased `f`. */
export function factsWhere(f: AnalyticsFilters, extra?: SQL): SQL {
  const parts: SQL[] = [
    sql`f.created_at >= ${f.from.toISOString()}::timestamptz`,
    sql`f.created_at < ${f.to.toISOString()}::timestamptz`,
  ];
  if (f.channel) parts.push(sql`f.channel_kind = ${f.channel}`);
  if (f.queue) parts.push(sql`f.queue = ${f.queue}`);
  if (f.team) parts.push(sql`f.team = ${f.team}`);
  if (f.agent) parts.push(sql`f.assignee_id = ${f.agent}::uuid`);
  if (extra) parts.push(extra);
  return sql.join(parts, sql` and `);
}

/** Digital silence: a public complaint with no public reply within N hours (still waiting, or answered late). */
export function silenceCondition(hours: number, now: Date): SQL {
  const n = sql`make_interval(hours => ${hours})`;
  return sql`(f.public_complaint and not f.no_response_needed and (
    (f.first_public_response_at is null and f.created_at < ${now.toISOString()}::timestamptz - ${n})
    or f.first_public_response_at - f.created_at > ${n}))`;
}

/** The conversations behind each metric: drill-down condition (on facts `f`). */
export const DRILLDOWN_METRICS = [
  'all',
  'responded',
  'unanswered',
  'digital_silence',
  'resolved',
  'unresolved',
  'sla_first_response_met',
  'sla_first_response_missed',
  'sla_next_response_missed',
  'sla_resolution_met',
  'sla_resolution_missed',
  'public_complaints',
  'missing_resolution_notice',
  'pending_resolution_notice',
  'sentiment_improved',
  'sentiment_worsened',
  'sentiment_unchanged',
  'misrouted',
  'handed_off',
  'queue_support',
  'queue_marketing',
  'queue_moderation',
  'social_complaints',
  'no_response_needed',
  'csat_responded',
  'csat_satisfied',
  'csat_unsatisfied',
] as const;
export type DrilldownMetric = (typeof DRILLDOWN_METRICS)[number];

export function drilldownCondition(metric: DrilldownMetric, silenceHours: number, now: Date): SQL {
  const csat = (cond: string) =>
    sql.raw(
      `exists (select 1 from csat_responses c where c.conversation_id = f.conversation_id and c.score is not null${cond})`,
    );
  switch (metric) {
    case 'all':
      return sql`true`;
    case 'responded':
      return sql`f.first_response_at is not null`;
    case 'unanswered':
      return sql`f.first_response_at is null and not f.no_response_needed`;
    case 'digital_silence':
      return silenceCondition(silenceHours, now);
    case 'resolved':
      return sql`f.resolved_at is not null`;
    case 'unresolved':
      return sql`f.resolved_at is null`;
    case 'sla_first_response_met':
      return sql`f.sla_first_response = 'met'`;
    case 'sla_first_response_missed':
      return sql`f.sla_first_response = 'missed'`;
    case 'sla_next_response_missed':
      return sql`f.sla_next_missed > 0`;
    case 'sla_resolution_met':
      return sql`f.sla_resolution = 'met'`;
    case 'sla_resolution_missed':
      return sql`f.sla_resolution = 'missed'`;
    case 'public_complaints':
      return sql`f.public_complaint`;
    case 'missing_resolution_notice':
      return sql`f.resolution_notice = 'missing'`;
    case 'pending_resolution_notice':
      return sql`f.resolution_notice = 'pending'`;
    case 'sentiment_improved':
      return sql`f.sentiment_last > f.sentiment_first`;
    case 'sentiment_worsened':
      return sql`f.sentiment_last < f.sentiment_first`;
    case 'sentiment_unchanged':
      return sql`f.sentiment_last = f.sentiment_first`;
    case 'misrouted':
      return sql`f.queue_handoffs > 0`;
    case 'handed_off':
      return sql`f.handoffs > 0`;
    case 'queue_support':
      return sql`f.queue = 'support'`;
    case 'queue_marketing':
      return sql`f.queue = 'marketing'`;
    case 'queue_moderation':
      return sql`f.queue = 'moderation'`;
    case 'social_complaints':
      return sql`f.intent = 'complaint' and f.channel_kind in ${SOCIAL_SQL}`;
    case 'no_response_needed':
      return sql`f.no_response_needed`;
    case 'csat_responded':
      return csat('');
    case 'csat_satisfied':
      return csat(' and c.score >= 4');
    case 'csat_unsatisfied':
      return csat(' and c.score <= 2');
  }
}
