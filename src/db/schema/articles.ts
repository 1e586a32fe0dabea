/**
 * Knowledge base and blog: articles (kind 'kb' | 'blog'), their categories, revisions, images,
 * "Was this helpful?" votes and the use of article links in replies (deflection analytics).
 * Full-text search: `articles.search` is filled by a trigger (migration 'articles_search') and
 * indexed with GIN.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { conversations } from './conversations.ts';

export const ARTICLE_KINDS = ['kb', 'blog'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];
/** draft → scheduled (publish_at in the future) → published; archived hides without deleting. */
export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const articleCategories = pgTable(
  'article_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<ArticleKind>().notNull(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('article_categories_kind_slug_idx').on(t.kind, t.slug)],
);

export const articles = pgTable(
  'articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<ArticleKind>().notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    /** Markdown source; rendered and sanitised on save into body_html. */
    body: text('body').notNull(),
    bodyHtml: text('body_html').notNull(),
    categoryId: uuid('category_id').references(() => articleCategories.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<ArticleStatus>().notNull().default('draft'),
    /** When a scheduled article goes public (and stays the publication date once published). */
    publishAt: timestamp('publish_at', { withTimezone: true }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    updatedById: uuid('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    search: tsvector('search'),
  },
  (t) => [
    uniqueIndex('articles_kind_slug_idx').on(t.kind, t.slug),
    index('articles_public_idx').on(t.kind, t.status, t.publishAt),
    index('articles_category_idx').on(t.categoryId),
    index('articles_search_idx').using('gin', t.search),
    index('articles_tags_idx').using('gin', t.tags),
  ],
);

export const articleRevisions = pgTable(
  'article_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(),
    tags: text('tags').array().notNull(),
    editorId: uuid('editor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('article_revisions_article_rev_idx').on(t.articleId, t.revision)],
);

/** Uploaded images, kept in the database so every web process serves them. */
export const articleImages = pgTable('article_images', {
  id: uuid('id').primaryKey().defaultRandom(),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  width: integer('width'),
  height: integer('height'),
  uploadedById: uuid('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One vote per voter (cookie or IP hash) and article; a later vote replaces the earlier one. */
export const articleVotes = pgTable(
  'article_votes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    helpful: boolean('helpful').notNull(),
    voterKey: text('voter_key').notNull(),
    ipHash: text('ip_hash').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('article_votes_voter_idx').on(t.articleId, t.voterKey),
    index('article_votes_ip_idx').on(t.ipHash, t.at),
  ],
);

/** Each time an agent puts an article link or excerpt into a reply. */
export const articleLinkUses = pgTable(
  'article_link_uses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('article_link_uses_article_idx').on(t.articleId, t.at)],
);
