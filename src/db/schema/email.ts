/**
 * Email and the web contact form (docs/EMAIL.md):
 * - email_messages: every inbound and outbound email, the full original kept (raw source) beside the
 *   display text; Message-ID indexed for threading (In-Reply-To / References).
 * - email_attachments: stored attachment bytes (or a note when dropped for size).
 * - email_reply_tokens: per-conversation reply addresses (support+<token>@domain).
 * - email_outbound: the mail outbox with a unique idempotency key and a stable Message-ID, retried with back-off.
 * - contact_submissions: web contact form submissions (spam verdicts, per-IP rate limiting by hashed IP).
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const emailMessages = pgTable(
  'email_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id'),
    direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
    /** imap | smtp | webform | outbox */
    source: text('source').notNull(),
    /** Normalised Message-ID without angle brackets. */
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    /** Root of the email thread (first reference or own id): the InboundPost threadExternalId. */
    threadKey: text('thread_key').notNull(),
    conversationId: uuid('conversation_id'),
    replyToken: text('reply_token'),
    fromAddress: text('from_address').notNull().default(''),
    fromName: text('from_name'),
    toAddresses: text('to_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull().default(''),
    textBody: text('text_body').notNull().default(''),
    htmlBody: text('html_body'),
    /** Quoted history and signature removed, for display. */
    displayText: text('display_text').notNull().default(''),
    /** auto_reply | bounce | null: never answered. */
    automated: text('automated'),
    automatedReason: text('automated_reason'),
    /** Parse problems and dropped attachments, shown beside the message. */
    notes: jsonb('notes').$type<string[]>().notNull().default([]),
    rawSource: bytea('raw_source'),
    rawSize: integer('raw_size').notNull().default(0),
    /** Handed to the triage intake or appended to a conversation. */
    handedAt: ts('handed_at'),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('email_messages_message_id_idx').on(t.messageId, t.direction),
    index('email_messages_thread_idx').on(t.threadKey),
    index('email_messages_conversation_idx').on(t.conversationId, t.receivedAt),
    index('email_messages_unhanded_idx')
      .on(t.receivedAt)
      .where(sql`handed_at is null and direction = 'inbound'`),
  ],
);

export const emailAttachments = pgTable(
  'email_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    emailId: uuid('email_id')
      .notNull()
      .references(() => emailMessages.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull().default(''),
    contentType: text('content_type').notNull().default('application/octet-stream'),
    contentId: text('content_id'),
    size: integer('size').notNull(),
    /** Null when dropped (over the size limit); `note` says why. */
    content: bytea('content'),
    dropped: boolean('dropped').notNull().default(false),
    note: text('note'),
  },
  (t) => [index('email_attachments_email_idx').on(t.emailId)],
);

export const emailReplyTokens = pgTable(
  'email_reply_tokens',
  {
    token: text('token').primaryKey(),
    /** Known at once for a sidebar; for a contact form the pipeline opens it (resolved lazily). */
    conversationId: uuid('conversation_id'),
    channelId: uuid('channel_id'),
    threadExternalId: text('thread_external_id'),
    customerEmail: text('customer_email').notNull(),
    /** sidebar | webform | thread */
    purpose: text('purpose').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('email_reply_tokens_conversation_idx').on(t.conversationId)],
);

export const emailOutbound = pgTable(
  'email_outbound',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Derived from the idempotency key: a retry carries the same Message-ID. */
    messageId: text('message_id').notNull(),
    conversationId: uuid('conversation_id'),
    /** confirmation | invitation | reply */
    purpose: text('purpose').notNull(),
    fromAddress: text('from_address').notNull(),
    replyTo: text('reply_to'),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    /** queued | sending | sent | failed (gave up) */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    smtpResponse: text('smtp_response'),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('email_outbound_idempotency_idx').on(t.idempotencyKey),
    index('email_outbound_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

export const contactSubmissions = pgTable(
  'contact_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** HMAC of the client IP (never the IP itself). */
    ipHash: text('ip_hash').notNull(),
    name: text('name').notNull().default(''),
    email: text('email').notNull().default(''),
    subject: text('subject').notNull().default(''),
    message: text('message').notNull().default(''),
    /** accepted | rejected */
    verdict: text('verdict').notNull(),
    reason: text('reason'),
    threadExternalId: text('thread_external_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('contact_submissions_ip_idx').on(t.ipHash, t.createdAt)],
);
