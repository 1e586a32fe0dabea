/**
 * The triage pipeline's own tables (docs/PIPELINE.md):
 * - inbound_queue: durable intake. A row committed here is an acknowledged post; pipeline workers
 *   claim rows of one lane (by author) with FOR UPDATE SKIP LOCKED and delete them in the same transaction that stores the
 *   triaged post, so a killed worker loses nothing and nothing is stored twice.
 * - inbound_dead_letters: posts the pipeline could not store (malformed, unknown channel), kept with the error.
 * - ignored_posts: posts routed to "ignore" (spam...), stored in posts with the reason here.
 * - sla_schedule: the next moment the SLA timers job must look at a conversation (warn, escalate, breach).
 * - sla_alerts: warnings/escalations/breaches already raised, so each is raised once per clock cycle.
 * - assignment_pointers: round-robin position per team.
 */

import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Lanes of the intake (src/pipeline/drain.ts): one drain at a time per lane, lanes drained in parallel. */
export const INBOUND_LANES = 4;

/**
 * The lane of an author, as SQL over two text expressions (channel kind, author's external id): the
 * intake's generated column below, and the lanes a restore of stored posts locks
 * (src/services/ignored-posts-restore.ts) — one expression, so the two cannot drift apart.
 */
export const laneOf = (channelKind: string, authorExternalId: string): string =>
  `(hashtextextended(coalesce(${channelKind}, '') || ':' || coalesce(${authorExternalId}, ''), 0) & ${INBOUND_LANES - 1})::smallint`;

export const inboundQueue = pgTable(
  'inbound_queue',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    /** The acknowledgement time: arrival for latency and SLA purposes. */
    receivedAt: ts('received_at').notNull().defaultNow(),
    /** The normalised InboundPost (src/domain/inbound-post.ts). */
    post: jsonb('post').notNull(),
    /**
     * The post's lane, from its author (channel kind + author id): every post of one author goes through
     * one lane, in order, so parallel drains never race on the same contact's conversations.
     */
    lane: smallint('lane')
      .notNull()
      .generatedAlwaysAs(sql.raw(laneOf(`post->>'channelKind'`, `post->'author'->>'externalId'`))),
  },
  (t) => [index('inbound_queue_lane_idx').on(t.lane, t.id)],
);

/**
 * Deletions reported by a platform for posts not stored yet (still queued, or not yet fetched): the drain
 * that stores such a post marks it deleted at once (src/db/repositories/posts.ts).
 */
export const inboundDeletions = pgTable(
  'inbound_deletions',
  {
    channelId: uuid('channel_id').notNull(),
    externalId: text('external_id').notNull(),
    deletedAt: ts('deleted_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.externalId] })],
);

export const inboundDeadLetters = pgTable('inbound_dead_letters', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  receivedAt: ts('received_at').notNull(),
  failedAt: ts('failed_at').notNull().defaultNow(),
  error: text('error').notNull(),
  post: jsonb('post').notNull(),
});

export const ignoredPosts = pgTable(
  'ignored_posts',
  {
    postId: uuid('post_id').primaryKey(),
    reason: text('reason').notNull(),
    /** Routing rule that decided, null for the default policy. */
    ruleId: text('rule_id'),
    at: ts('at').notNull().defaultNow(),
  },
  // Keyset pages, newest first: one drain batch stamps many posts with the same `at`, so the post id
  // breaks the tie in the index; the reason filter has its own.
  (t) => [
    index('ignored_posts_at_post_idx').on(t.at, t.postId),
    index('ignored_posts_reason_at_idx').on(t.reason, t.at, t.postId),
  ],
);

export const slaSchedule = pgTable(
  'sla_schedule',
  {
    conversationId: uuid('conversation_id').primaryKey(),
    policyId: text('policy_id'),
    /** When the timers job must next evaluate this conversation's clocks. */
    nextAt: ts('next_at').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('sla_schedule_next_idx').on(t.nextAt)],
);

export const slaAlerts = pgTable(
  'sla_alerts',
  {
    conversationId: uuid('conversation_id').notNull(),
    clock: text('clock').notNull(),
    cycle: integer('cycle').notNull(),
    /** warning | escalation | breach */
    kind: text('kind').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.clock, t.cycle, t.kind] })],
);

export const assignmentPointers = pgTable('assignment_pointers', {
  team: text('team').primaryKey(),
  lastAgentId: uuid('last_agent_id'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
