/** Connected channels (accounts/sources on a platform), contacts and their identities. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const channels = pgTable('channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  baseUrl: text('base_url').notNull(),
  /** AES-256-GCM encrypted JSON of the platform credentials (src/lib/crypto.ts). */
  credentialsEnc: text('credentials_enc').notNull().default(''),
  /** Listening rules: keywords, handles, sources (subreddits, categories, feed URLs). */
  rules: jsonb('rules')
    .$type<{ keywords: string[]; handles: string[]; sources: string[] }>()
    .notNull()
    .default({ keywords: [], handles: [], sources: [] }),
  accountId: text('account_id'),
  accountHandle: text('account_handle'),
  enabled: boolean('enabled').notNull().default(true),
  pollIntervalSeconds: integer('poll_interval_seconds').notNull().default(60),
  /** Sync cursor and rate-limit state, owned by the adapter, stored here so restarts resume. */
  cursor: jsonb('cursor').$type<Record<string, unknown>>().notNull().default({}),
  rateLimit: jsonb('rate_limit').$type<Record<string, unknown>>().notNull().default({}),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  lastError: text('last_error'),
  /** Milliseconds between a post's platform time and its storage, last poll. */
  lagMs: bigint('lag_ms', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const contacts = pgTable('contacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  displayName: text('display_name').notNull(),
  email: text('email'),
  vip: boolean('vip').notNull().default(false),
  notes: text('notes'),
  /** Set when this contact was merged into another; identities move to the survivor. */
  mergedInto: uuid('merged_into'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id),
    channelKind: text('channel_kind').notNull(),
    externalId: text('external_id').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name'),
    followers: integer('followers'),
    profileUrl: text('profile_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contact_identities_ext_idx').on(t.channelKind, t.externalId),
    index('contact_identities_contact_idx').on(t.contactId),
    index('contact_identities_handle_trgm').using('gin', sql`${t.handle} gin_trgm_ops`),
  ],
);
