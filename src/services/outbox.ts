/**
 * The outbox: sends replies whose undo window has passed, through the channel adapter (lazily
 * imported), the community forum, or email. Claiming flips 'scheduled' → 'sending' under SKIP LOCKED,
 * the platform gets the reply's idempotency key, and a reply stuck in 'sending' after a crash is retried
 * with the same key, so a crash or a double click never posts twice.
 */

import { eq } from 'drizzle-orm';
import type { ChannelAdapter, ChannelConfig, OutboundMessage } from '../channels/types.ts';
import type { Db } from '../db/client.ts';
import { articlesRepository } from '../db/repositories/articles.ts';
import { type ReplyRow, repliesRepository } from '../db/repositories/replies.ts';
import type { ArticleKind } from '../db/schema/index.ts';
import { channels, contactIdentities, contacts, conversations, posts, replies } from '../db/schema/index.ts';
import { ConflictError } from '../domain/errors.ts';
import type { ChannelKind } from '../domain/inbound-post.ts';
import type { Actor } from '../domain/roles.ts';
import { decryptJson } from '../lib/crypto.ts';
import type { EventBus } from '../lib/event-bus.ts';
import type { Mailer } from '../lib/mailer.ts';
import { applyCommand } from './conversations.ts';

export interface OutboxDeps {
  db: Db;
  encryptionKey: Buffer;
  baseUrl?: string;
  bus?: EventBus;
  mailer?: Mailer;
  /** Adapter lookup; default: src/channels/registry.ts, imported on first use. */
  adapterFor?: (kind: string) => Promise<ChannelAdapter>;
  /** Test hook: runs after a forum delivery, inside its transaction, before the reply is marked sent. */
  afterForumDelivery?: () => Promise<void> | void;
}

interface Sent {
  externalId: string;
  url?: string;
  /** The platform thread the reply went to, when not the conversation's (a forum private message). */
  threadExternalId?: string;
}

const defaultAdapterFor = async (kind: string) => (await import('../channels/registry.ts')).adapterFor(kind);

async function channelConfig(deps: OutboxDeps, channelId: string): Promise<ChannelConfig> {
  const [ch] = await deps.db.select().from(channels).where(eq(channels.id, channelId));
  if (!ch) throw new Error('channel not found');
  if (!ch.enabled) throw new Error(`channel ${ch.name} is disabled`);
  return {
    id: ch.id,
    kind: ch.kind as ChannelKind,
    baseUrl: ch.baseUrl,
    credentials: ch.credentialsEnc
      ? decryptJson<Record<string, string>>(deps.encryptionKey, ch.credentialsEnc)
      : {},
    rules: ch.rules,
    accountId: ch.accountId ?? undefined,
    accountHandle: ch.accountHandle ?? undefined,
  };
}

async function deliver(
  deps: OutboxDeps,
  reply: ReplyRow,
  conv: typeof conversations.$inferSelect,
): Promise<Sent> {
  const { db } = deps;
  const [parent] = reply.inReplyToPostId
    ? await db.select().from(posts).where(eq(posts.id, reply.inReplyToPostId))
    : [];
  if (conv.channelKind === 'forum' && (!reply.isPrivate || reply.channelId)) {
    // The topic of the post replied to (a member's conversation can span topics); a public reply
    // never goes into a private message thread.
    const onParent = parent?.threadExternalId && (reply.isPrivate || !parent.isPrivate);
    const { deliverToForum } = await import('./community-private.ts');
    return deliverToForum(
      db,
      {
        thread: (onParent ? parent.threadExternalId : null) ?? conv.threadExternalId,
        userId: reply.authorId ?? '',
        markdown: reply.text,
        kind: reply.isPrivate
          ? 'private'
          : reply.kind === 'resolution_notice'
            ? 'resolution_notice'
            : 'staff_reply',
        conversationId: conv.id,
      },
      deps.baseUrl,
    );
  }
  if (reply.isPrivate && !reply.channelId) {
    // Taken private by email.
    const [contact] = conv.contactId
      ? await db.select().from(contacts).where(eq(contacts.id, conv.contactId))
      : [];
    if (!contact?.email) throw new Error('the contact has no email address');
    if (!deps.mailer) throw new Error('email is not configured');
    const res = await deps.mailer.send({
      to: contact.email,
      subject: conv.subject || 'Your request',
      text: reply.text,
    });
    return { externalId: `email:${res.id}` };
  }
  if (!reply.channelId) throw new Error('this conversation has no channel to reply on');
  const config = await channelConfig(deps, reply.channelId);
  const adapter = await (deps.adapterFor ?? defaultAdapterFor)(config.kind);
  if (adapter.capabilities.replyOnSite)
    throw new Error('this channel is listen-only: reply on the site itself');
  let inReplyTo = parent?.externalId;
  const part = /^(.*)#(\d+)\/(\d+)$/.exec(reply.idempotencyKey);
  if (part && Number(part[2]) > 1) {
    // Thread parts chain: part n replies to part n-1.
    const [prev] = await db
      .select()
      .from(replies)
      .where(eq(replies.idempotencyKey, `${part[1]}#${Number(part[2]) - 1}/${part[3]}`));
    if (!prev?.externalId) throw new Error('the previous part of this thread was not sent');
    inReplyTo = prev.externalId;
  }
  let recipient: string | undefined;
  if (reply.isPrivate && parent?.authorIdentityId) {
    const [who] = await db
      .select()
      .from(contactIdentities)
      .where(eq(contactIdentities.id, parent.authorIdentityId));
    recipient = who?.externalId;
  }
  const message: OutboundMessage = {
    idempotencyKey: reply.idempotencyKey,
    text: reply.text,
    isPrivate: reply.isPrivate,
    ...(reply.isPrivate ? {} : { inReplyToExternalId: inReplyTo }),
    ...(conv.threadExternalId ? { threadExternalId: conv.threadExternalId } : {}),
    ...(recipient ? { recipientExternalId: recipient } : {}),
    ...(conv.lastCustomerMessageAt
      ? { lastCustomerMessageAt: conv.lastCustomerMessageAt.toISOString() }
      : {}),
  };
  const res = await adapter.send(config, message);
  return { externalId: res.externalId, ...(res.url ? { url: res.url } : {}) };
}

/**
 * Counts knowledge-base and blog links in a sent reply (article_link_uses, for deflection analytics),
 * whatever way the agent inserted them.
 */
export async function recordArticleLinks(
  db: Db,
  baseUrl: string | undefined,
  text: string,
  conversationId: string,
) {
  if (!baseUrl) return;
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const links = new Set<string>();
  for (const m of text.matchAll(new RegExp(`${escaped}/(kb|blog)/([a-z0-9-]+)`, 'g')))
    links.add(`${m[1]}/${m[2]}`);
  const repo = articlesRepository(db);
  for (const link of links) {
    const [kind, slug] = link.split('/') as [ArticleKind, string];
    const article = await repo.findBySlug(kind, slug);
    if (article) await repo.insertLinkUse(article.id, conversationId);
  }
}

export function outbox(deps: OutboxDeps) {
  const { db } = deps;
  const repo = repliesRepository(db);

  /** The delivered reply as an outbound post, and the reply marked sent (on `q`: db or a transaction). */
  async function recordSent(q: Db, reply: ReplyRow, conv: typeof conversations.$inferSelect, sent: Sent) {
    const [post] = await q
      .insert(posts)
      .values({
        conversationId: conv.id,
        channelId: reply.channelId,
        channelKind: reply.channelId ? conv.channelKind : 'email',
        externalId: sent.externalId,
        threadExternalId: sent.threadExternalId ?? conv.threadExternalId,
        direction: 'outbound',
        isPrivate: reply.isPrivate,
        authorUserId: reply.authorId,
        text: reply.text,
        url: sent.url ?? null,
        postedAt: new Date(),
      })
      .onConflictDoNothing()
      .returning({ id: posts.id });
    await repliesRepository(q).transition(reply.id, ['sending'], 'sent', {
      externalId: sent.externalId,
      externalUrl: sent.url ?? null,
      sentPostId: post?.id ?? null,
      error: null,
    });
  }

  async function failed(reply: ReplyRow, err: unknown): Promise<'failed' | 'retry'> {
    const retryAt = (err as { retryAt?: unknown }).retryAt;
    if (retryAt instanceof Date) {
      await repo.transition(reply.id, ['sending'], 'scheduled', {
        sendAfter: retryAt,
        error: 'rate limited',
      });
      return 'retry';
    }
    const message = err instanceof Error ? err.message : String(err);
    await repo.transition(reply.id, ['sending'], 'failed', { error: message.slice(0, 500) });
    // Keep the words: the author finds them back in the composer.
    if (reply.authorId)
      await repo.saveDraft(reply.conversationId, reply.authorId, reply.text, reply.basedOnVersion ?? 0);
    await deps.bus
      ?.publish({ topic: 'reply.failed', conversationId: reply.conversationId, replyId: reply.id })
      .catch(() => {});
    return 'failed';
  }

  async function sendOne(reply: ReplyRow): Promise<'sent' | 'failed' | 'retry'> {
    const [conv] = await db.select().from(conversations).where(eq(conversations.id, reply.conversationId));
    if (!conv) {
      await repo.transition(reply.id, ['sending'], 'failed', { error: 'conversation not found' });
      return 'failed';
    }
    try {
      if (conv.channelKind === 'forum' && (!reply.isPrivate || reply.channelId)) {
        // The forum lives in this database: its post and the reply's "sent" commit together, so a
        // crash between the two can never post twice (external platforms get idempotency keys).
        await db.transaction(async (tx) => {
          const t = tx as unknown as Db;
          const sent = await deliver({ ...deps, db: t }, reply, conv);
          await deps.afterForumDelivery?.();
          await recordSent(t, reply, conv, sent);
        });
      } else {
        const sent = await deliver(deps, reply, conv);
        await recordSent(db, reply, conv, sent);
      }
    } catch (err) {
      return failed(reply, err);
    }
    const now = new Date();
    await recordArticleLinks(db, deps.baseUrl, reply.text, conv.id);
    const actor: Actor = { id: reply.authorId ?? 'system', role: 'system' };
    const [parent] = reply.inReplyToPostId
      ? await db.select().from(posts).where(eq(posts.id, reply.inReplyToPostId))
      : [];
    try {
      await applyCommand(
        db,
        conv.id,
        {
          type: 'reply_sent',
          visibility: reply.isPrivate ? 'private' : 'public',
          kind: reply.kind === 'resolution_notice' ? 'resolution_notice' : 'reply',
          onOriginalThread: !reply.isPrivate && (parent?.threadExternalId ?? null) === conv.threadExternalId,
          awaitCustomer: reply.awaitCustomer,
        },
        actor,
        { patch: { firstRespondedAt: conv.firstRespondedAt ?? now, lastAgentMessageAt: now } },
      );
    } catch {
      // A closed conversation still records the post; its state does not move.
    }
    return 'sent';
  }

  return {
    /** Send every due reply (bounded); returns how many of each outcome. */
    async processDue(now = new Date(), limit = 20): Promise<Record<'sent' | 'failed' | 'retry', number>> {
      const out = { sent: 0, failed: 0, retry: 0 };
      await repo.releaseStuck(new Date(now.getTime() - 5 * 60_000));
      for (const reply of await repo.claimDue(now, limit)) out[await sendOne(reply)] += 1;
      return out;
    },
    /** Sent replies whose platform post can be deleted: the retraction callback for repliesService.retract. */
    async retractOnPlatform(reply: ReplyRow): Promise<void> {
      if (!reply.channelId || !reply.externalId) {
        throw new ConflictError('retract_not_supported', 'Nothing to retract on the platform.');
      }
      const config = await channelConfig(deps, reply.channelId);
      const adapter = await (deps.adapterFor ?? defaultAdapterFor)(config.kind);
      if (!adapter.retract || !adapter.capabilities.canDelete) {
        throw new ConflictError('retract_not_supported', `${config.kind} does not allow deleting a reply.`);
      }
      await adapter.retract(config, reply.externalId);
    },
  };
}
