/**
 * Email storage: inbound/outbound messages (Message-ID indexed), attachments, reply tokens, the
 * email outbox (unique idempotency key; claimed with FOR UPDATE SKIP LOCKED so two workers never
 * send the same mail) and contact-form submissions.
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  contactSubmissions,
  emailAttachments,
  emailMessages,
  emailOutbound,
  emailReplyTokens,
} from '../schema/index.ts';

export type EmailMessageRow = typeof emailMessages.$inferSelect;
export type NewEmailMessage = typeof emailMessages.$inferInsert;
export type NewEmailAttachment = Omit<typeof emailAttachments.$inferInsert, 'emailId'>;
export type ReplyTokenRow = typeof emailReplyTokens.$inferSelect;
export type OutboundRow = typeof emailOutbound.$inferSelect;
export type NewOutbound = typeof emailOutbound.$inferInsert;

export function emailRepository(db: Db) {
  return {
    /** Store a message once per (Message-ID, direction); `created` false for a re-delivery. */
    async insertMessage(
      values: NewEmailMessage,
      attachments: NewEmailAttachment[] = [],
    ): Promise<{ row: EmailMessageRow; created: boolean }> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(emailMessages).values(values).onConflictDoNothing().returning();
        if (!row) {
          const [existing] = await tx
            .select()
            .from(emailMessages)
            .where(
              and(
                eq(emailMessages.messageId, values.messageId),
                eq(emailMessages.direction, values.direction),
              ),
            );
          return { row: existing!, created: false };
        }
        if (attachments.length > 0) {
          await tx.insert(emailAttachments).values(attachments.map((a) => ({ ...a, emailId: row.id })));
        }
        return { row, created: true };
      });
    },
    /**
     * Multi-row insert of a batch (call inside a transaction): new rows are returned with created
     * true; a Message-ID already stored returns the existing row with created false.
     */
    async insertMessages(
      items: readonly { values: NewEmailMessage; attachments: NewEmailAttachment[] }[],
    ): Promise<{ row: EmailMessageRow; created: boolean }[]> {
      if (items.length === 0) return [];
      const inserted = await db
        .insert(emailMessages)
        .values(items.map((i) => i.values))
        .onConflictDoNothing()
        .returning();
      const key = (messageId: string, direction: string) => `${direction}\u0000${messageId}`;
      const fresh = new Map(inserted.map((r) => [key(r.messageId, r.direction), r]));
      const missing = items.filter((i) => !fresh.has(key(i.values.messageId, i.values.direction)));
      const existing = new Map<string, EmailMessageRow>();
      if (missing.length > 0) {
        const rows = await db
          .select()
          .from(emailMessages)
          .where(
            inArray(
              emailMessages.messageId,
              missing.map((m) => m.values.messageId),
            ),
          );
        for (const r of rows) existing.set(key(r.messageId, r.direction), r);
      }
      const attachments = [];
      const out: { row: EmailMessageRow; created: boolean }[] = [];
      const seen = new Set<string>();
      for (const i of items) {
        const k = key(i.values.messageId, i.values.direction);
        const row = fresh.get(k);
        if (row && !seen.has(k)) {
          seen.add(k);
          out.push({ row, created: true });
          attachments.push(...i.attachments.map((a) => ({ ...a, emailId: row.id })));
        } else {
          out.push({ row: (row ?? existing.get(k))!, created: false });
        }
      }
      if (attachments.length > 0) await db.insert(emailAttachments).values(attachments);
      return out;
    },
    async findByMessageIds(ids: readonly string[]): Promise<EmailMessageRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(emailMessages)
        .where(inArray(emailMessages.messageId, [...ids]));
    },
    async find(id: string): Promise<EmailMessageRow | undefined> {
      const [row] = await db.select().from(emailMessages).where(eq(emailMessages.id, id));
      return row;
    },
    async attachments(emailId: string) {
      return db.select().from(emailAttachments).where(eq(emailAttachments.emailId, emailId));
    },
    async markHanded(ids: readonly string[], conversationId?: string | null): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(emailMessages)
        .set({ handedAt: new Date(), ...(conversationId ? { conversationId } : {}) })
        .where(inArray(emailMessages.id, [...ids]));
    },
    /** Inbound messages stored but not yet handed to the intake (crash between the two). */
    async unhanded(limit = 500): Promise<EmailMessageRow[]> {
      return db
        .select()
        .from(emailMessages)
        .where(sql`${emailMessages.handedAt} is null and ${emailMessages.direction} = 'inbound'`)
        .orderBy(emailMessages.receivedAt)
        .limit(limit);
    },

    // --- reply tokens ---
    async insertToken(values: typeof emailReplyTokens.$inferInsert): Promise<ReplyTokenRow> {
      const [row] = await db.insert(emailReplyTokens).values(values).returning();
      return row!;
    },
    async findToken(token: string): Promise<ReplyTokenRow | undefined> {
      const [row] = await db.select().from(emailReplyTokens).where(eq(emailReplyTokens.token, token));
      return row;
    },
    async tokenFor(conversationId: string, customerEmail: string): Promise<ReplyTokenRow | undefined> {
      const [row] = await db
        .select()
        .from(emailReplyTokens)
        .where(
          and(
            eq(emailReplyTokens.conversationId, conversationId),
            sql`lower(${emailReplyTokens.customerEmail}) = lower(${customerEmail})`,
          ),
        )
        .limit(1);
      return row;
    },
    async tokensForConversation(conversationId: string): Promise<ReplyTokenRow[]> {
      return db.select().from(emailReplyTokens).where(eq(emailReplyTokens.conversationId, conversationId));
    },
    async setTokenConversation(token: string, conversationId: string): Promise<void> {
      await db.update(emailReplyTokens).set({ conversationId }).where(eq(emailReplyTokens.token, token));
    },

    /** The conversation a platform thread (or one of its posts) landed in, once the pipeline stored it. */
    async conversationForThread(channelId: string, threadExternalId: string): Promise<string | undefined> {
      const res = await db.execute<{ id: string }>(sql`
        select conversation_id::text as id from posts
         where channel_id = ${channelId} and conversation_id is not null
           and (external_id = ${threadExternalId} or thread_external_id = ${threadExternalId})
         order by posted_at limit 1`);
      return res.rows[0]?.id;
    },
    async conversationForMessage(messageId: string): Promise<string | undefined> {
      const res = await db.execute<{ id: string }>(sql`
        select conversation_id::text as id from posts
         where channel_kind = 'email' and external_id = ${messageId} and conversation_id is not null limit 1`);
      return res.rows[0]?.id;
    },
    async conversationThread(conversationId: string): Promise<
      | {
          channelId: string | null;
          threadExternalId: string | null;
          status: string;
          contactId: string | null;
        }
      | undefined
    > {
      const res = await db.execute<{
        channel_id: string | null;
        thread_external_id: string | null;
        status: string;
        contact_id: string | null;
      }>(
        sql`select channel_id::text, thread_external_id, status, contact_id::text from conversations where id = ${conversationId}`,
      );
      const r = res.rows[0];
      return r
        ? {
            channelId: r.channel_id,
            threadExternalId: r.thread_external_id,
            status: r.status,
            contactId: r.contact_id,
          }
        : undefined;
    },

    // --- outbox ---
    async insertOutboundOnce(values: NewOutbound): Promise<{ row: OutboundRow; created: boolean }> {
      const [row] = await db.insert(emailOutbound).values(values).onConflictDoNothing().returning();
      if (row) return { row, created: true };
      const [existing] = await db
        .select()
        .from(emailOutbound)
        .where(eq(emailOutbound.idempotencyKey, values.idempotencyKey));
      return { row: existing!, created: false };
    },
    async outbound(id: string): Promise<OutboundRow | undefined> {
      const [row] = await db.select().from(emailOutbound).where(eq(emailOutbound.id, id));
      return row;
    },
    async outboundByKey(key: string): Promise<OutboundRow | undefined> {
      const [row] = await db.select().from(emailOutbound).where(eq(emailOutbound.idempotencyKey, key));
      return row;
    },
    /** queued → sending for due rows (or one given row), counting the attempt. */
    async claim(now: Date, limit: number, onlyId?: string): Promise<OutboundRow[]> {
      const res = await db.execute<{ id: string }>(sql`
        update email_outbound set status = 'sending', attempts = attempts + 1, updated_at = now()
         where id in (
           select id from email_outbound
            where status = 'queued' and next_attempt_at <= ${now.toISOString()}
              ${onlyId ? sql`and id = ${onlyId}` : sql``}
            order by next_attempt_at limit ${limit} for update skip locked)
        returning id`);
      const ids = res.rows.map((r) => r.id);
      if (ids.length === 0) return [];
      return db.select().from(emailOutbound).where(inArray(emailOutbound.id, ids));
    },
    async settle(id: string, patch: Partial<NewOutbound>): Promise<void> {
      await db
        .update(emailOutbound)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(emailOutbound.id, id), eq(emailOutbound.status, 'sending')));
    },
    /** Rows left in 'sending' by a crashed worker go back to the queue (same Message-ID on retry). */
    async releaseStuck(olderThan: Date): Promise<number> {
      const res = await db.execute(sql`
        update email_outbound set status = 'queued', updated_at = now()
         where status = 'sending' and updated_at < ${olderThan.toISOString()}`);
      return res.rowCount ?? 0;
    },

    // --- contact form ---
    async recentSubmissions(ipHash: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(contactSubmissions)
        .where(and(eq(contactSubmissions.ipHash, ipHash), gte(contactSubmissions.createdAt, since)));
      return row?.n ?? 0;
    },
    async insertSubmission(values: typeof contactSubmissions.$inferInsert) {
      const [row] = await db.insert(contactSubmissions).values(values).returning();
      return row!;
    },
  };
}

export type EmailRepository = ReturnType<typeof emailRepository>;
