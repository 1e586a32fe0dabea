/**
 * The public community forum: categories, topics, posts (with revisions), votes, follows,
 * notifications, flags, sanctions (warnings/suspensions, always private), badges, private topics
 * (private messages), email verification tokens, the local mail outbox and the hand-off of forum
 * posts to triage.
 *
 * Search: `community_posts.search` (tsvector, filled by a trigger in migration 'community_search')
 * is indexed by a partial GIN index over searchable posts (public, visible). Category and solved
 * are denormalised onto posts so filters need no join. Ids are bigint identities: newest-first is
 * the primary key order.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { conversations } from './conversations.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const ts = (name: string) => timestamp(name, { withTimezone: true });
const id64 = (name: string) => bigint(name, { mode: 'number' });

/** visible → public; pending → waiting for moderator approval; hidden → replaced by a neutral notice. */
export const COMMUNITY_STATUSES = ['visible', 'pending', 'hidden'] as const;
export type CommunityStatus = (typeof COMMUNITY_STATUSES)[number];
/** post: a member's or staff's post; resolution_notice: closes the loop on a complaint; moderator_notice. */
export const COMMUNITY_POST_KINDS = ['post', 'staff_reply', 'resolution_notice', 'moderator_notice'] as const;
export type CommunityPostKind = (typeof COMMUNITY_POST_KINDS)[number];
export const FLAG_REASONS = ['spam', 'offensive', 'off_topic', 'needs_staff', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const communityCategories = pgTable('community_categories', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const communityProfiles = pgTable(
  'community_profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Public handle for @mentions: [a-z0-9_] only (no bidi or zero-width tricks). */
    username: text('username').notNull(),
    bio: text('bio').notNull().default(''),
    reputation: integer('reputation').notNull().default(0),
    /** Posts approved so far; below the threshold a new member's posts wait for approval. */
    approvedPosts: integer('approved_posts').notNull().default(0),
    suspendedUntil: ts('suspended_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('community_profiles_username_idx').on(sql`lower(${t.username})`)],
);

export const communityTopics = pgTable(
  'community_topics',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    categoryId: integer('category_id').references(() => communityCategories.id),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** public, or private: a private message or a topic taken private (participants only). */
    visibility: text('visibility').$type<'public' | 'private'>().notNull().default('public'),
    status: text('status').$type<CommunityStatus>().notNull().default('visible'),
    locked: boolean('locked').notNull().default(false),
    pinned: boolean('pinned').notNull().default(false),
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    acceptedPostId: id64('accepted_post_id'),
    officialPostId: id64('official_post_id'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    replyCount: integer('reply_count').notNull().default(0),
    score: integer('score').notNull().default(0),
    mergedIntoId: id64('merged_into_id'),
    /** The private conversation in the agent inbox this topic was taken to, if any. */
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    /** A public topic taken private: the private message thread the staff follow-up happens in. */
    privateTopicId: id64('private_topic_id'),
    lastPostedAt: ts('last_posted_at').notNull().defaultNow(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('community_topics_latest_idx').on(t.visibility, t.status, t.lastPostedAt),
    index('community_topics_category_idx').on(t.categoryId, t.lastPostedAt),
    index('community_topics_author_idx').on(t.authorId, t.createdAt),
    index('community_topics_tags_idx').using('gin', t.tags),
  ],
);

export const communityPosts = pgTable(
  'community_posts',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    topicId: id64('topic_id')
      .notNull()
      .references(() => communityTopics.id, { onDelete: 'cascade' }),
    postNumber: integer('post_number').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind').$type<CommunityPostKind>().notNull().default('post'),
    status: text('status').$type<CommunityStatus>().notNull().default('visible'),
    hiddenReason: text('hidden_reason'),
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    replyToPostId: id64('reply_to_post_id'),
    score: integer('score').notNull().default(0),
    revision: integer('revision').notNull().default(1),
    /** Denormalised for search filters: the topic's category, solved state and title (first post). */
    categoryId: integer('category_id'),
    solved: boolean('solved').notNull().default(false),
    title: text('title'),
    /** Public topic and visible post: only these are indexed for search. */
    searchable: boolean('searchable').notNull().default(true),
    search: tsvector('search'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('community_posts_topic_number_idx').on(t.topicId, t.postNumber),
    index('community_posts_author_idx').on(t.authorId, t.id),
    index('community_posts_pending_idx').on(t.id).where(sql`status = 'pending'`),
  ],
);

export const communityPostRevisions = pgTable(
  'community_post_revisions',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    postId: id64('post_id')
      .notNull()
      .references(() => communityPosts.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    body: text('body').notNull(),
    reason: text('reason').notNull().default(''),
    editorId: uuid('editor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('community_post_revisions_idx').on(t.postId, t.revision)],
);

export const communityVotes = pgTable(
  'community_votes',
  {
    postId: id64('post_id')
      .notNull()
      .references(() => communityPosts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    value: smallint('value').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] })],
);

export const communityFollows = pgTable(
  'community_follows',
  {
    topicId: id64('topic_id')
      .notNull()
      .references(() => communityTopics.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.userId] }), index('community_follows_user_idx').on(t.userId)],
);

/** Who may read a private topic (private messages, topics taken private). */
export const communityParticipants = pgTable(
  'community_participants',
  {
    topicId: id64('topic_id')
      .notNull()
      .references(() => communityTopics.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.topicId, t.userId] }),
    index('community_participants_user_idx').on(t.userId),
  ],
);

export const communityNotifications = pgTable(
  'community_notifications',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** reply | mention | accepted | badge | message | warning | suspension | approved */
    kind: text('kind').notNull(),
    topicId: id64('topic_id'),
    postId: id64('post_id'),
    actorId: uuid('actor_id'),
    text: text('text').notNull().default(''),
    readAt: ts('read_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('community_notifications_user_idx').on(t.userId, t.id)],
);

export const communityFlags = pgTable(
  'community_flags',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    postId: id64('post_id')
      .notNull()
      .references(() => communityPosts.id, { onDelete: 'cascade' }),
    reporterId: uuid('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason').$type<FlagReason>().notNull(),
    note: text('note').notNull().default(''),
    /** open | agreed | dismissed */
    status: text('status').notNull().default('open'),
    handledById: uuid('handled_by_id').references(() => users.id, { onDelete: 'set null' }),
    handledAt: ts('handled_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('community_flags_open_idx').on(t.status, t.createdAt),
    uniqueIndex('community_flags_once_idx').on(t.postId, t.reporterId),
  ],
);

/** Warnings and suspensions: delivered privately to the member, logged in audit_log too. */
export const communitySanctions = pgTable(
  'community_sanctions',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'warning' | 'suspension'>().notNull(),
    reason: text('reason').notNull(),
    until: ts('until'),
    byId: uuid('by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('community_sanctions_user_idx').on(t.userId, t.createdAt)],
);

export const communityBadges = pgTable(
  'community_badges',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** helpful (accepted answer) | official | first_post */
    badge: text('badge').notNull(),
    postId: id64('post_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('community_badges_once_idx').on(t.userId, t.badge, t.postId)],
);

export const communityEmailTokens = pgTable('community_email_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  purpose: text('purpose').notNull().default('verify'),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

/** Every forum post handed to triage, kept for audit and for replay into the pipeline. */
export const communityTriageOutbox = pgTable(
  'community_triage_outbox',
  {
    id: id64('id').primaryKey().generatedByDefaultAsIdentity(),
    postId: id64('post_id').notNull(),
    inbound: jsonb('inbound').notNull(),
    handedAt: ts('handed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('community_triage_outbox_pending_idx').on(t.handedAt, t.id)],
);

/** Local mail outbox: every outgoing email lands here; sent by SMTP when configured. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    /** queued | sending | sent | failed | kept (no SMTP configured: stays here for dev and tests) */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    /** When a sender took it ('sending'): a claim older than MAIL_CLAIM_MINUTES is a dead sender's. */
    claimedAt: ts('claimed_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('mail_outbox_status_idx').on(t.status, t.createdAt)],
);
