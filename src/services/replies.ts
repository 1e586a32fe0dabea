/**
 * Sending from the composer: checks (stale view, channel length, risk), the trainee approval queue,
 * the undo window and retraction. A reply never goes straight to the platform: it is scheduled in
 * the outbox (replies table) and sent by the outbox job once its undo window has passed.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type ReplyRow, repliesRepository } from '../db/repositories/replies.ts';
import { auditLog, posts, settings } from '../db/schema/index.ts';
import { countLength } from '../domain/composer/length.ts';
import { checkRisk, type Guideline, type RiskFinding } from '../domain/composer/risk-check.ts';
import { splitThread } from '../domain/composer/thread-split.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../domain/errors.ts';
import type { ChannelKind } from '../domain/inbound-post.ts';
import {
  type Actor,
  canApprove,
  canRetractReply,
  needsApprovalForPublicReply,
  requirePermission,
} from '../domain/roles.ts';
import { loadVisible, recordEvents } from './conversations.ts';

export const REPLY_KINDS = [
  'public_reply',
  'private_message',
  'resolution_notice',
  'acknowledgement',
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export interface SendInput {
  conversationId: string;
  text: string;
  kind: ReplyKind;
  idempotencyKey: string;
  basedOnVersion: number;
  /** The author saw the stale-view warning and sends anyway. */
  acknowledgeStale?: boolean;
  /** The author saw the risk findings (and the suggestion to take it private) and posts anyway. */
  acknowledgeRisk?: boolean;
  /** Over the channel limit: split into a numbered thread instead of refusing. */
  splitThread?: boolean;
  /** Reply to this post (default: the customer's latest public post, or the first for a resolution notice). */
  inReplyToPostId?: string;
  /** A private message by email to the contact instead of the platform's private messages. */
  viaEmail?: boolean;
  /**
   * After it is sent: wait on the customer (default; next-response and resolution clocks pause) or
   * keep the conversation open ("we're looking into it": the team still owes the answer).
   */
  awaitCustomer?: boolean;
}

export interface RepliesDeps {
  db: Db;
  undoWindowSeconds: number;
  /** Ask the outbox job to look at due replies at this time (pg-boss send with startAfter). */
  wake?: (at: Date) => Promise<void>;
}

export async function readSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row ? (row.value as T) : fallback;
}

export const GUIDELINES_KEY = 'composer.guidelines';
export const CANNED_KEY = 'composer.canned_replies';

export async function riskFindings(db: Db, text: string): Promise<RiskFinding[]> {
  return checkRisk(text, { guidelines: await readSetting<Guideline[]>(db, GUIDELINES_KEY, []) });
}

async function defaultParent(db: Db, conversationId: string, kind: ReplyKind): Promise<string | null> {
  const rows = await db
    .select({ id: posts.id, isPrivate: posts.isPrivate, direction: posts.direction })
    .from(posts)
    .where(eq(posts.conversationId, conversationId))
    .orderBy(posts.postedAt);
  const inboundPublic = rows.filter((p) => p.direction === 'inbound' && !p.isPrivate);
  const inboundPrivate = rows.filter((p) => p.direction === 'inbound' && p.isPrivate);
  if (kind === 'resolution_notice' || kind === 'acknowledgement') return inboundPublic[0]?.id ?? null;
  if (kind === 'private_message') return (inboundPrivate.at(-1) ?? inboundPublic[0])?.id ?? null;
  return inboundPublic.at(-1)?.id ?? rows.at(-1)?.id ?? null;
}

export function repliesService(deps: RepliesDeps) {
  const { db } = deps;
  const repo = repliesRepository(db);

  async function audit(actor: Actor, action: string, reply: ReplyRow, detail: Record<string, unknown> = {}) {
    await db.insert(auditLog).values({
      actorId: actor.id === 'system' ? null : actor.id,
      action: `reply.${action}`,
      subjectType: 'reply',
      subjectId: reply.id,
      detail: { conversationId: reply.conversationId, ...detail },
    });
    await recordEvents(db, [
      {
        type: `reply_${action}`,
        conversationId: reply.conversationId,
        at: new Date().toISOString(),
        actorId: actor.id,
        replyId: reply.id,
        ...detail,
      } as never,
    ]);
  }

  async function schedule(at: Date) {
    await deps.wake?.(at).catch(() => {});
  }

  return {
    /** Queue a reply (or its thread parts). Same idempotency key twice → the same reply, sent once. */
    async send(actor: Actor, input: SendInput): Promise<{ replies: ReplyRow[]; created: boolean }> {
      const text = input.text.trim();
      if (!text) throw new InvalidError('empty_reply', 'Write something first.');
      const conv = await loadVisible(db, input.conversationId, actor);
      if (conv.status === 'closed')
        throw new ConflictError('conversation_closed', 'This conversation is closed.');
      if (input.basedOnVersion < conv.version && !input.acknowledgeStale) {
        throw new ConflictError(
          'stale_view',
          'New activity since you started writing. Review it, then send again.',
          {
            currentVersion: conv.version,
            basedOnVersion: input.basedOnVersion,
          },
        );
      }
      const isPrivate = input.kind === 'private_message';
      const kind = conv.channelKind as ChannelKind;
      if (!isPrivate) {
        const findings = await riskFindings(db, text);
        const blocking = input.acknowledgeRisk ? [] : findings;
        if (blocking.length > 0) {
          throw new ConflictError('risk_check', 'Check this reply before posting it publicly.', {
            findings,
            suggestTakePrivate: findings.some((f) => f.suggestion === 'take_private'),
          });
        }
      }
      const length = countLength(text, kind);
      let parts = [text];
      if (!length.valid) {
        if (!input.splitThread || isPrivate) {
          throw new InvalidError('too_long', `Too long for ${kind}: ${length.length} of ${length.limit}.`, {
            length: length.length,
            limit: length.limit,
          });
        }
        parts = splitThread(text, kind);
      }
      const pending = !isPrivate && needsApprovalForPublicReply(actor.role);
      const sendAfter = new Date(Date.now() + deps.undoWindowSeconds * 1000);
      const parent = input.inReplyToPostId ?? (await defaultParent(db, conv.id, input.kind));
      const out: ReplyRow[] = [];
      let created = false;
      for (const [i, part] of parts.entries()) {
        const r = await repo.insertOnce({
          conversationId: conv.id,
          authorId: actor.id,
          kind: input.kind,
          isPrivate,
          status: pending ? 'pending_approval' : 'scheduled',
          text: part,
          channelId: input.viaEmail ? null : conv.channelId,
          inReplyToPostId: parent,
          idempotencyKey:
            parts.length === 1 ? input.idempotencyKey : `${input.idempotencyKey}#${i + 1}/${parts.length}`,
          sendAfter: pending ? null : new Date(sendAfter.getTime() + i),
          basedOnVersion: input.basedOnVersion,
          awaitCustomer: input.awaitCustomer ?? true,
        });
        created ||= r.created;
        out.push(r.reply);
      }
      if (created) {
        await repo.deleteDraft(conv.id, actor.id);
        for (const r of out)
          await audit(actor, pending ? 'submitted_for_approval' : 'scheduled', r, { kind: r.kind });
        if (!pending) await schedule(sendAfter);
      }
      return { replies: out, created };
    },

    /** Undo within the window: the reply returns to the composer instead of going out. */
    async undo(actor: Actor, replyId: string): Promise<ReplyRow> {
      const reply = await repo.find(replyId);
      if (!reply) throw new NotFoundError('reply_not_found', 'No such reply.');
      await loadVisible(db, reply.conversationId, actor);
      if (reply.authorId !== actor.id && !canApprove(actor.role)) {
        throw new ForbiddenError('forbidden', 'Only the author or a supervisor can undo a reply.');
      }
      const done = await repo.transition(replyId, ['scheduled', 'pending_approval'], 'cancelled');
      if (!done)
        throw new ConflictError(
          'too_late_to_undo',
          'Already sent: retract it instead, where the platform allows.',
        );
      await repo.saveDraft(reply.conversationId, actor.id, reply.text, reply.basedOnVersion ?? 0);
      await audit(actor, 'undone', done);
      return done;
    },

    async approve(actor: Actor, replyId: string, editedText?: string, comment?: string): Promise<ReplyRow> {
      requirePermission(canApprove(actor.role), 'approve replies', actor);
      const reply = await repo.find(replyId);
      if (!reply) throw new NotFoundError('reply_not_found', 'No such reply.');
      await loadVisible(db, reply.conversationId, actor);
      const text = editedText?.trim() || reply.text;
      const sendAfter = new Date(Date.now() + deps.undoWindowSeconds * 1000);
      const done = await repo.transition(replyId, ['pending_approval'], 'scheduled', {
        text,
        sendAfter,
        reviewedBy: actor.id,
        reviewComment: comment?.trim() || null,
      });
      if (!done) throw new ConflictError('not_pending', 'This reply is no longer waiting for approval.');
      await audit(actor, 'approved', done, { edited: text !== reply.text, comment: comment ?? null });
      await schedule(sendAfter);
      return done;
    },

    async reject(actor: Actor, replyId: string, comment: string): Promise<ReplyRow> {
      requirePermission(canApprove(actor.role), 'reject replies', actor);
      if (!comment.trim()) throw new InvalidError('comment_required', 'Tell the author why.');
      const reply = await repo.find(replyId);
      if (!reply) throw new NotFoundError('reply_not_found', 'No such reply.');
      await loadVisible(db, reply.conversationId, actor);
      const done = await repo.transition(replyId, ['pending_approval'], 'rejected', {
        reviewedBy: actor.id,
        reviewComment: comment.trim(),
      });
      if (!done) throw new ConflictError('not_pending', 'This reply is no longer waiting for approval.');
      await audit(actor, 'rejected', done, { comment: comment.trim() });
      return done;
    },

    /** Delete a sent reply on the platform (where it allows), recording the reason. */
    async retract(
      actor: Actor,
      replyId: string,
      reason: string,
      retractOnPlatform: (reply: ReplyRow) => Promise<void>,
    ): Promise<ReplyRow> {
      requirePermission(canRetractReply(actor.role), 'retract replies', actor);
      if (!reason.trim()) throw new InvalidError('reason_required', 'Give a reason for the retraction.');
      const reply = await repo.find(replyId);
      if (!reply) throw new NotFoundError('reply_not_found', 'No such reply.');
      await loadVisible(db, reply.conversationId, actor);
      if (reply.status !== 'sent') throw new ConflictError('not_sent', 'Only sent replies can be retracted.');
      await retractOnPlatform(reply);
      const done = await repo.transition(replyId, ['sent'], 'retracted', { retractReason: reason.trim() });
      if (!done) throw new ConflictError('not_sent', 'Only sent replies can be retracted.');
      if (reply.sentPostId)
        await db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, reply.sentPostId));
      await audit(actor, 'retracted', done, { reason: reason.trim() });
      return done;
    },
  };
}

export type RepliesService = ReturnType<typeof repliesService>;
