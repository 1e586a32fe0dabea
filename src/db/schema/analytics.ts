/**
 * Analytics: one fact row per conversation (refreshed incrementally by the analytics-rollup job
 * from conversations, posts and conversation_events), daily rollups of those facts for time series,
 * the rollup watermark, and CSAT surveys. Formulas: docs/METRICS.md.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const analyticsConversationFacts = pgTable(
  'analytics_conversation_facts',
  {
    conversationId: uuid('conversation_id').primaryKey(),
    createdAt: ts('created_at').notNull(),
    channelKind: text('channel_kind').notNull(),
    /** Queue now, and the queue the conversation opened in (misrouting). */
    queue: text('queue').notNull(),
    initialQueue: text('initial_queue').notNull(),
    team: text('team'),
    assigneeId: uuid('assignee_id'),
    intent: text('intent').notNull(),
    priority: text('priority').notNull(),
    status: text('status').notNull(),
    startedPublic: boolean('started_public').notNull(),
    publicComplaint: boolean('public_complaint').notNull(),
    noResponseNeeded: boolean('no_response_needed').notNull(),
    /** Customer messages that needed a response, and how many got one (any agent reply after them). */
    inboundNeeding: integer('inbound_needing').notNull(),
    inboundAnswered: integer('inbound_answered').notNull(),
    agentReplies: integer('agent_replies').notNull(),
    firstResponseAt: ts('first_response_at'),
    firstPublicResponseAt: ts('first_public_response_at'),
    /** Seconds from opening to the first agent reply: wall clock and business time (SLA calendar). */
    frtWallS: integer('frt_wall_s'),
    frtBusinessS: integer('frt_business_s'),
    resolvedAt: ts('resolved_at'),
    resolutionWallS: integer('resolution_wall_s'),
    resolutionBusinessS: integer('resolution_business_s'),
    /** SLA outcomes from replaying events through src/domain/sla: 'met' | 'missed' | null (no clock / still running). */
    slaFirstResponse: text('sla_first_response'),
    slaResolution: text('sla_resolution'),
    slaNextCycles: integer('sla_next_cycles').notNull().default(0),
    slaNextMissed: integer('sla_next_missed').notNull().default(0),
    /** Public complaints: 'posted' | 'waived' | 'missing' (resolved without either) | 'pending' (not resolved); null otherwise. */
    resolutionNotice: text('resolution_notice'),
    sentimentFirst: smallint('sentiment_first'),
    sentimentLast: smallint('sentiment_last'),
    handoffs: integer('handoffs').notNull().default(0),
    queueHandoffs: integer('queue_handoffs').notNull().default(0),
    reopens: integer('reopens').notNull().default(0),
    refreshedAt: ts('refreshed_at').notNull().defaultNow(),
  },
  (t) => [
    index('analytics_facts_created_idx').on(t.createdAt),
    index('analytics_facts_active_idx')
      .on(t.assigneeId)
      .where(sql`status in ('new', 'open', 'waiting_on_customer')`),
    index('analytics_facts_misrouted_idx').on(t.createdAt).where(sql`queue_handoffs > 0`),
    index('analytics_facts_complaints_idx')
      .on(t.createdAt)
      .where(sql`public_complaint and not no_response_needed`),
    // Digital silence, live part: public complaints still without a public reply (a small set).
    index('analytics_facts_unanswered_idx')
      .on(t.createdAt)
      .where(sql`public_complaint and not no_response_needed and first_public_response_at is null`),
    index('analytics_facts_channel_idx').on(t.channelKind, t.createdAt),
    index('analytics_facts_queue_idx').on(t.queue, t.createdAt),
    index('analytics_facts_team_idx').on(t.team, t.createdAt),
    index('analytics_facts_assignee_idx').on(t.assigneeId, t.createdAt),
  ],
);

/** Counts and sums of facts per UTC day of opening and dimensions: time series read these. */
export const analyticsDaily = pgTable(
  'analytics_daily',
  {
    day: date('day').notNull(),
    channelKind: text('channel_kind').notNull(),
    queue: text('queue').notNull(),
    team: text('team').notNull().default(''),
    intent: text('intent').notNull(),
    conversations: integer('conversations').notNull(),
    publicComplaints: integer('public_complaints').notNull(),
    responded: integer('responded').notNull(),
    resolved: integer('resolved').notNull(),
    inboundNeeding: integer('inbound_needing').notNull(),
    inboundAnswered: integer('inbound_answered').notNull(),
    frtCount: integer('frt_count').notNull(),
    frtWallSumS: real('frt_wall_sum_s').notNull(),
    slaFrMet: integer('sla_fr_met').notNull(),
    slaFrMissed: integer('sla_fr_missed').notNull(),
    noticeMissing: integer('notice_missing').notNull(),
    misrouted: integer('misrouted').notNull(),
    // Every other additive counter of the summary (migration analytics_daily_counters).
    frtBusinessSumS: real('frt_business_sum_s').notNull().default(0),
    resolvedWallSumS: real('resolved_wall_sum_s').notNull().default(0),
    slaNextCycles: integer('sla_next_cycles').notNull().default(0),
    slaNextMissed: integer('sla_next_missed').notNull().default(0),
    slaResMet: integer('sla_res_met').notNull().default(0),
    slaResMissed: integer('sla_res_missed').notNull().default(0),
    noticePosted: integer('notice_posted').notNull().default(0),
    noticeWaived: integer('notice_waived').notNull().default(0),
    noticePending: integer('notice_pending').notNull().default(0),
    sentimentPairs: integer('sentiment_pairs').notNull().default(0),
    sentimentShiftSum: integer('sentiment_shift_sum').notNull().default(0),
    sentimentImproved: integer('sentiment_improved').notNull().default(0),
    sentimentWorsened: integer('sentiment_worsened').notNull().default(0),
    sentimentUnchanged: integer('sentiment_unchanged').notNull().default(0),
    openedSupport: integer('opened_support').notNull().default(0),
    openedMarketing: integer('opened_marketing').notNull().default(0),
    openedModeration: integer('opened_moderation').notNull().default(0),
    handoffs: integer('handoffs').notNull().default(0),
    noResponseNeeded: integer('no_response_needed').notNull().default(0),
    // First response time histogram (wall clock): < 5 min, 15, 30, 60 min, 2 h, 4 h, 8 h, 24 h, more.
    frtB0: integer('frt_b0').notNull().default(0),
    frtB1: integer('frt_b1').notNull().default(0),
    frtB2: integer('frt_b2').notNull().default(0),
    frtB3: integer('frt_b3').notNull().default(0),
    frtB4: integer('frt_b4').notNull().default(0),
    frtB5: integer('frt_b5').notNull().default(0),
    frtB6: integer('frt_b6').notNull().default(0),
    frtB7: integer('frt_b7').notNull().default(0),
    frtB8: integer('frt_b8').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.channelKind, t.queue, t.team, t.intent] })],
);

/** Where the incremental rollup got to. One row, name 'facts'. */
export const analyticsRollupState = pgTable('analytics_rollup_state', {
  name: text('name').primaryKey(),
  watermark: ts('watermark').notNull(),
  lastRunAt: ts('last_run_at').notNull().defaultNow(),
  lastRunRows: integer('last_run_rows').notNull().default(0),
  /** Bumped by every run that changed facts: what the report cache is keyed by. */
  generation: integer('generation').notNull().default(0),
});

/**
 * Computed report parts (summary counters and percentiles, series, breakdowns) keyed by their filters
 * and the rollup generation they were computed from. They depend only on the facts and daily rollups,
 * which change only when the rollup runs, so an entry of the current generation is exact. Shared by
 * every web process; the rollup job precomputes the default views after each run.
 */
export const analyticsReportCache = pgTable('analytics_report_cache', {
  key: text('key').primaryKey(),
  generation: integer('generation').notNull(),
  body: jsonb('body').notNull(),
  computedMs: integer('computed_ms').notNull(),
  computedAt: ts('computed_at').notNull().defaultNow(),
});

/** CSAT surveys: a tokenised link sent after resolution; the score 1–5 comes back on /csat/:token. */
export const csatResponses = pgTable(
  'csat_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    /** sha256 of the token in the link: a leaked table does not let anyone answer surveys. */
    tokenHash: text('token_hash').notNull(),
    score: smallint('score'),
    comment: text('comment'),
    sentAt: ts('sent_at').notNull().defaultNow(),
    respondedAt: ts('responded_at'),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('csat_token_idx').on(t.tokenHash),
    index('csat_conversation_idx').on(t.conversationId),
    index('csat_sent_idx').on(t.sentAt),
    index('csat_responded_idx').on(t.respondedAt).where(sql`score is not null`),
  ],
);
