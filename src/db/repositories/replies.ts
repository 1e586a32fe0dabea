/**
 * Replies in the outbox. The idempotency key is unique: inserting the same send twice (double click,
 * retried request) returns the first row. Due replies are claimed with FOR UPDATE SKIP LOCKED and a
 * status change to 'sending', so two workers never send the same reply.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { replies } from '../schema/index.ts';

export type ReplyRow = typeof replies.$inferSelect;
export type NewReply = typeof replies.$inferInsert;

export const REPLY_STATUSES = [
  'draft',
  'pending_approval',
  'rejected',
  'scheduled',
  'sending',
  'sent',
  'failed',
  'cancelled',
  'retracted',
] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export function repliesRepository(db: Db) {
  return {
    /** Insert, or return the existing row with the same idempotency key (`created` tells which). */
    async insertOnce(values: NewReply): Promise<{ reply: ReplyRow; created: boolean }> {
      const [row] = await db.insert(replies).values(values).onConflictDoNothing().returning();
      if (row) return { reply: row, created: true };
      const [existing] = await db
        .select()
        .from(replies)
        .where(eq(replies.idempotencyKey, values.idempotencyKey));
      if (!existing) throw new Error('reply vanished after idempotency conflict');
      return { reply: existing, created: false };
    },
    async find(id: string): Promise<ReplyRow | undefined> {
      const [row] = await db.select().from(replies).where(eq(replies.id, id));
      return row;
    },
    async forConversation(conversationId: string): Promise<ReplyRow[]> {
      return db
        .select()
        .from(replies)
        .where(and(eq(replies.conversationId, conversationId), sql`${replies.status} <> 'draft'`))
        .orderBy(asc(replies.createdAt));
    },
    /** Move a reply from one of `from` to `to`; returns the row only when this call made the change. */
    async transition(
      id: string,
      from: readonly ReplyStatus[],
      to: ReplyStatus,
      patch: Partial<NewReply> = {},
    ): Promise<ReplyRow | undefined> {
      const [row] = await db
        .update(replies)
        .set({ ...patch, status: to, updatedAt: new Date() })
        .where(and(eq(replies.id, id), inArray(replies.status, [...from])))
        .returning();
      return row;
    },
    /** Claim replies whose undo window has passed: scheduled → sending, at most `limit`. */
    async claimDue(now: Date, limit = 20): Promise<ReplyRow[]> {
      const res = await db.execute(sql`
        UPDATE replies SET status = 'sending', attempts = attempts + 1, updated_at = now()
        WHERE id IN (
          SELECT id FROM replies
          WHERE status = 'scheduled' AND send_after <= ${now.toISOString()}
          ORDER BY send_after LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ) RETURNING id`);
      const ids = (res.rows as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) return [];
      return db.select().from(replies).where(inArray(replies.id, ids)).orderBy(asc(replies.sendAfter));
    },
    /** Replies stuck in 'sending' (a worker crashed mid-send): back to scheduled to retry with the same key. */
    async releaseStuck(olderThan: Date): Promise<number> {
      const res = await db.execute(sql`
        UPDATE replies SET status = 'scheduled', updated_at = now()
        WHERE status = 'sending' AND updated_at < ${olderThan.toISOString()}`);
      return res.rowCount ?? 0;
    },
    async pendingApproval(queues: readonly string[]): Promise<(ReplyRow & { queue: string })[]> {
      const res = await db.execute(sql`
        SELECT r.id FROM replies r JOIN conversations c ON c.id = r.conversation_id
        WHERE r.status = 'pending_approval' AND c.queue IN (${sql.join(
          queues.map((q) => sql`${q}`),
          sql`, `,
        )}) ORDER BY r.created_at LIMIT 200`);
      const ids = (res.rows as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .select()
        .from(replies)
        .where(inArray(replies.id, ids))
        .orderBy(asc(replies.createdAt));
      return rows.map((r) => ({ ...r, queue: '' }));
    },
    // --- server-side drafts: one per (conversation, author), kept until sent ---
    async saveDraft(
      conversationId: string,
      authorId: string,
      text: string,
      basedOnVersion: number,
    ): Promise<void> {
      const key = `draft:${conversationId}:${authorId}`;
      await db
        .insert(replies)
        .values({
          conversationId,
          authorId,
          kind: 'public_reply',
          isPrivate: false,
          status: 'draft',
          text,
          idempotencyKey: key,
          basedOnVersion,
        })
        .onConflictDoUpdate({
          target: replies.idempotencyKey,
          set: { text, basedOnVersion, updatedAt: new Date() },
        });
    },
    async draft(conversationId: string, authorId: string): Promise<ReplyRow | undefined> {
      const [row] = await db
        .select()
        .from(replies)
        .where(eq(replies.idempotencyKey, `draft:${conversationId}:${authorId}`))
        .orderBy(desc(replies.updatedAt));
      return row;
    },
    async deleteDraft(conversationId: string, authorId: string): Promise<void> {
      await db.delete(replies).where(eq(replies.idempotencyKey, `draft:${conversationId}:${authorId}`));
    },
  };
}

export type RepliesRepository = ReturnType<typeof repliesRepository>;
