/**
 * The case file: conversations, the posts in them (inbound and outbound, public and private),
 * replies in the outbox, internal notes, and the event log that feeds the audit trail and analytics.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { channels, contactIdentities, contacts } from './channels.ts';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id').references(() => channels.id),
    channelKind: text('channel_kind').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id),
    /** Platform thread of the first post (tweet conversation, topic, submission). */
    threadExternalId: text('thread_external_id'),
    subject: text('subject').notNull().default(''),
    /** new | open | waiting_on_customer | resolved | closed (src/domain/conversation.ts). */
    status: text('status').notNull().default('new'),
    /** unanswered | answered_publicly | handled_privately | resolution_notice_posted */
    publicState: text('public_state').notNull().default('unanswered'),
    queue: text('queue').notNull(),
    team: text('team'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    intent: text('intent').notNull(),
    sentiment: text('sentiment').notNull(),
    sentimentStart: text('sentiment_start'),
    sentimentEnd: text('sentiment_end'),
    complaintScore: real('complaint_score'),
    priority: text('priority').notNull().default('normal'),
    priorityScore: real('priority_score').notNull().default(0),
    language: text('language'),
    startedPublic: boolean('started_public').notNull(),
    startedAsPublicComplaint: boolean('started_as_public_complaint').notNull(),
    /** Full domain state (waiver, no-response decision, reopen count...) as the state machine sees it. */
    state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    nextResponseDueAt: timestamp('next_response_due_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { withTimezone: true }),
    lastAgentMessageAt: timestamp('last_agent_message_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    messageCount: integer('message_count').notNull().default(0),
    /** Optimistic concurrency: bumped on every change (stale-view detection in the composer). */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('conversations_inbox_idx').on(t.queue, t.status, t.firstResponseDueAt),
    // Unassigned conversations (most of a busy inbox) need no entry: a lookup is always by assignee.
    index('conversations_assignee_idx').on(t.assigneeId, t.status).where(sql`${t.assigneeId} is not null`),
    index('conversations_thread_idx').on(t.channelId, t.threadExternalId),
    index('conversations_contact_idx').on(t.contactId, t.createdAt),
    index('conversations_created_idx').on(t.createdAt),
  ],
);

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    channelId: uuid('channel_id').references(() => channels.id),
    channelKind: text('channel_kind').notNull(),
    externalId: text('external_id').notNull(),
    threadExternalId: text('thread_external_id'),
    parentExternalId: text('parent_external_id'),
    direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
    isPrivate: boolean('is_private').notNull(),
    authorIdentityId: uuid('author_identity_id').references(() => contactIdentities.id),
    authorUserId: uuid('author_user_id').references(() => users.id),
    authorHandle: text('author_handle').notNull().default(''),
    text: text('text').notNull(),
    url: text('url'),
    language: text('language'),
    intent: text('intent'),
    sentiment: text('sentiment'),
    complaintScore: real('complaint_score'),
    /** The platform's time. */
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Deleted on the platform: kept, marked. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    raw: jsonb('raw'),
  },
  (t) => [
    uniqueIndex('posts_channel_external_idx').on(t.channelKind, t.channelId, t.externalId),
    index('posts_conversation_idx').on(t.conversationId, t.postedAt),
    index('posts_thread_idx').on(t.channelId, t.threadExternalId, t.postedAt),
    /**
     * Posts that arrived lately (pipeline status: stored in the last 5 minutes / hour). BRIN, not
     * btree: rows are appended in arrival order, so a range summary per 128 pages finds the recent
     * ones, and an insert adds no index entry (the hot path's write cost stays as it is).
     */
    index('posts_received_brin_idx').using('brin', t.receivedAt).with({ autosummarize: true }),
  ],
);

/** Outbound replies and their life: draft → pending_approval → approved → scheduled → sending → sent | failed; retracted. */
export const replies = pgTable(
  'replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    authorId: uuid('author_id').references(() => users.id),
    /** public_reply | private_message | resolution_notice | acknowledgement */
    kind: text('kind').notNull(),
    isPrivate: boolean('is_private').notNull(),
    status: text('status').notNull(),
    text: text('text').notNull(),
    channelId: uuid('channel_id').references(() => channels.id),
    inReplyToPostId: uuid('in_reply_to_post_id').references(() => posts.id),
    /** Sent to the platform where it supports one; unique so a retry never double-posts. */
    idempotencyKey: text('idempotency_key').notNull(),
    sendAfter: timestamp('send_after', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    sentPostId: uuid('sent_post_id').references(() => posts.id),
    externalId: text('external_id'),
    externalUrl: text('external_url'),
    error: text('error'),
    reviewComment: text('review_comment'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    retractReason: text('retract_reason'),
    /** Conversation version the author saw when drafting (stale-view warning). */
    basedOnVersion: integer('based_on_version'),
    /** After it is sent: wait on the customer (pauses next-response and resolution clocks) or keep open. */
    awaitCustomer: boolean('await_customer').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('replies_idempotency_idx').on(t.idempotencyKey),
    index('replies_conversation_idx').on(t.conversationId, t.createdAt),
    index('replies_outbox_idx').on(t.status, t.sendAfter),
  ],
);

export const notes = pgTable(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    authorId: uuid('author_id').references(() => users.id),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notes_conversation_idx').on(t.conversationId, t.createdAt)],
);

/** Every conversation event (src/domain/conversation-events.ts and pipeline events): audit trail + analytics. */
export const conversationEvents = pgTable(
  'conversation_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: text('actor_id'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [
    index('conversation_events_conv_idx').on(t.conversationId, t.at),
    index('conversation_events_type_at_idx').on(t.type, t.at),
  ],
);

/** Agents' corrections of intent/sentiment: training data for `earshot model train --extra-labels`. */
export const labelCorrections = pgTable('label_corrections', {
  id: uuid('id').primaryKey().defaultRandom(),
  postId: uuid('post_id').references(() => posts.id),
  conversationId: uuid('conversation_id').references(() => conversations.id),
  task: text('task').$type<'intent' | 'sentiment' | 'complaint'>().notNull(),
  previous: text('previous'),
  label: text('label').notNull(),
  text: text('text').notNull(),
  correctedBy: uuid('corrected_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const routingRules = pgTable('routing_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Shape: src/domain/routing.ts (conditions and action). */
  conditions: jsonb('conditions').notNull(),
  action: jsonb('action').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  /** Shape: src/domain/sla.ts (match on queue/channel/priority, targets, business hours, holidays). */
  policy: jsonb('policy').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
