/**
 * Inbound email → stored message → threaded → the triage intake (src/pipeline/intake.ts).
 *
 * Threading, most specific first: a reply token in the recipient (support+<token>@domain) or the
 * subject ([ref:<token>]); a known Message-ID in In-Reply-To / References (ours or the customer's);
 * otherwise a new email thread rooted at the first reference. A message that belongs to an existing
 * conversation is handed to the pipeline with that conversation's channel and platform thread, so
 * the pipeline's own threading appends it there (email sidebars of public cases included).
 * Auto-replies and bounces are stored and noted on the conversation, never handed on or answered.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { extractReplyToken } from '../channels/email/headers.ts';
import { type ParsedEmail, parseEmail } from '../channels/email/parse.ts';
import type { Db } from '../db/client.ts';
import { type EmailMessageRow, type EmailRepository, emailRepository } from '../db/repositories/email.ts';
import * as schema from '../db/schema/index.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { recordEvents } from './conversations.ts';
import type { EmailSettings } from './email-settings.ts';

export type EmailIntake = (posts: InboundPost[]) => Promise<void>;

export interface EmailInboundDeps {
  db: Db;
  pool: pg.Pool;
  settings: EmailSettings;
  /** Defaults to the pipeline's durable intake (enqueueInbound). */
  intake?: EmailIntake;
}

export interface RawEmail {
  /** Full source, or null when it was over the size limit (headers only). */
  source: Buffer | null;
  headers?: Buffer;
  size?: number;
  origin: 'imap' | 'smtp';
  envelopeTo?: string[];
  /** IMAP UID, for the note on an oversized message. */
  uid?: number;
}

export interface IngestResult {
  emailId: string;
  messageId: string;
  created: boolean;
  automated: 'auto_reply' | 'bounce' | null;
  /** Conversation already known at ingest (token or Message-ID); new threads get theirs from the pipeline. */
  conversationId?: string;
  handed: boolean;
  notes: string[];
}

interface Target {
  channelId: string;
  thread: string;
  conversationId?: string;
  token?: string;
  newThread: boolean;
}

async function viaConversation(
  repo: EmailRepository,
  conversationId: string,
  token?: string,
): Promise<Target | null> {
  const th = await repo.conversationThread(conversationId);
  if (!th || th.status === 'closed' || !th.channelId || !th.threadExternalId) return null;
  return { channelId: th.channelId, thread: th.threadExternalId, conversationId, token, newThread: false };
}

async function viaToken(repo: EmailRepository, token: string): Promise<Target | null> {
  const t = await repo.findToken(token);
  if (!t) return null;
  let conversationId = t.conversationId ?? undefined;
  if (!conversationId && t.channelId && t.threadExternalId) {
    conversationId = await repo.conversationForThread(t.channelId, t.threadExternalId);
    if (conversationId) await repo.setTokenConversation(token, conversationId);
  }
  if (conversationId) {
    const target = await viaConversation(repo, conversationId, token);
    if (target) return target;
  }
  if (t.channelId && t.threadExternalId)
    return { channelId: t.channelId, thread: t.threadExternalId, token, newThread: false };
  return null;
}

export async function resolveTarget(
  repo: EmailRepository,
  settings: EmailSettings,
  parsed: ParsedEmail,
  envelopeTo: string[] = [],
): Promise<Target> {
  const recipients = [...envelopeTo, ...parsed.deliveredTo, ...parsed.to, ...parsed.cc];
  const token = extractReplyToken(recipients, settings.address, parsed.subject);
  if (token) {
    const t = await viaToken(repo, token);
    if (t) return t;
  }
  const known = await repo.findByMessageIds(parsed.references);
  // Prefer the message that tells us most: a token, then a conversation, then the oldest.
  const ranked = [...known].sort(
    (a, b) =>
      Number(Boolean(b.replyToken)) - Number(Boolean(a.replyToken)) ||
      Number(Boolean(b.conversationId)) - Number(Boolean(a.conversationId)) ||
      a.receivedAt.getTime() - b.receivedAt.getTime(),
  );
  for (const row of ranked) {
    if (row.replyToken) {
      const t = await viaToken(repo, row.replyToken);
      if (t) return t;
    }
    const conversationId = row.conversationId ?? (await repo.conversationForMessage(row.messageId));
    if (conversationId) {
      const t = await viaConversation(repo, conversationId);
      if (t) return t;
    }
  }
  const first = ranked[0];
  if (first)
    return { channelId: first.channelId ?? settings.channelId, thread: first.threadKey, newThread: false };
  return {
    channelId: settings.channelId,
    thread: parsed.threadKey,
    newThread: parsed.references.length === 0,
  };
}

export function toInboundPost(row: EmailMessageRow, parsed: ParsedEmail, target: Target): InboundPost {
  const body = parsed.displayText || '(no text)';
  const attachmentNote =
    parsed.attachments.length > 0
      ? `\n\n[${parsed.attachments.length} attachment(s): ${parsed.attachments.map((a) => a.filename || 'unnamed').join(', ')}]`
      : '';
  return {
    channelKind: 'email',
    channelId: target.channelId,
    externalId: parsed.messageId,
    threadExternalId: target.thread,
    ...(parsed.inReplyTo ? { parentExternalId: parsed.inReplyTo } : {}),
    author: {
      externalId: parsed.from.address || 'unknown-sender',
      handle: parsed.from.address || '(no sender)',
      ...(parsed.from.name ? { displayName: parsed.from.name } : {}),
    },
    text: `${target.newThread && parsed.subject ? `${parsed.subject}\n\n` : ''}${body}${attachmentNote}`,
    isPrivate: true,
    createdAt: parsed.date.toISOString(),
    matchedBy: 'direct',
    raw: { emailId: row.id, subject: parsed.subject, notes: parsed.notes, replyToken: target.token ?? null },
  };
}

function oversizeSource(raw: RawEmail, limit: number): { source: Buffer; note: string } {
  const headers = raw.headers ?? Buffer.alloc(0);
  return {
    source: Buffer.concat([headers, Buffer.from('\r\n')]),
    note: `The message (${raw.size ?? '?'} bytes) is over the ${limit}-byte limit: only its headers were imported; the full message stays in the mailbox${raw.uid ? ` (UID ${raw.uid})` : ''}.`,
  };
}

/**
 * Parse, store, thread and hand a batch of raw emails to the intake. The stored messages and their
 * intake rows are committed in one transaction (with the default intake): a message is either
 * stored and queued for triage, or neither; one commit per batch.
 */
export async function ingestEmails(
  deps: EmailInboundDeps,
  items: readonly RawEmail[],
): Promise<IngestResult[]> {
  const repo = emailRepository(deps.db);
  const parsedItems: { raw: RawEmail; parsed: ParsedEmail; source: Buffer; target: Target }[] = [];
  const batchTargets = new Map<string, Target>();
  for (const raw of items) {
    let source = raw.source;
    const extraNotes: string[] = [];
    if (!source) {
      const o = oversizeSource(raw, deps.settings.limits.maxMessageBytes);
      source = o.source;
      extraNotes.push(o.note);
    }
    const parsed = await parseEmail(source, deps.settings.limits);
    parsed.notes.push(...extraNotes);
    // A reply to a message earlier in the same batch joins its thread.
    const inBatch = parsed.references.map((r) => batchTargets.get(r)).find(Boolean);
    const target = inBatch
      ? { ...inBatch, newThread: false }
      : await resolveTarget(repo, deps.settings, parsed, raw.envelopeTo);
    batchTargets.set(parsed.messageId, target);
    parsedItems.push({ raw, parsed, source, target });
  }

  const client = await deps.pool.connect();
  const results: IngestResult[] = [];
  let posts: InboundPost[] = [];
  let handedIds: string[] = [];
  try {
    await client.query('begin');
    const tx = drizzle(client, { schema });
    const txRepo = emailRepository(tx);
    const stored = await txRepo.insertMessages(
      parsedItems.map(({ raw, parsed, source, target }) => ({
        values: {
          channelId: deps.settings.channelId,
          direction: 'inbound' as const,
          source: raw.origin,
          messageId: parsed.messageId,
          inReplyTo: parsed.inReplyTo ?? null,
          references: parsed.references,
          threadKey: target.thread,
          conversationId: target.conversationId ?? null,
          replyToken: target.token ?? null,
          fromAddress: parsed.from.address,
          fromName: parsed.from.name ?? null,
          toAddresses: [...new Set([...(raw.envelopeTo ?? []), ...parsed.to, ...parsed.cc])],
          subject: parsed.subject,
          textBody: parsed.text,
          htmlBody: parsed.html ?? null,
          displayText: parsed.displayText,
          automated: parsed.automated?.kind ?? null,
          automatedReason: parsed.automated?.reason ?? null,
          notes: parsed.notes,
          rawSource: source,
          rawSize: raw.size ?? source.length,
        },
        attachments: parsed.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          contentId: a.contentId ?? null,
          size: a.size,
          content: a.content,
          dropped: a.dropped,
          note: a.note ?? null,
        })),
      })),
    );
    const automatedIds: string[] = [];
    const seen = new Set<string>();
    for (const [i, { row, created }] of stored.entries()) {
      const { parsed, target } = parsedItems[i]!;
      const result: IngestResult = {
        emailId: row.id,
        messageId: parsed.messageId,
        created,
        automated: parsed.automated?.kind ?? null,
        conversationId: target.conversationId,
        handed: false,
        notes: parsed.notes,
      };
      results.push(result);
      // A re-delivery of a message already handed on, or a duplicate inside this batch.
      if ((!created && row.handedAt) || seen.has(row.id)) continue;
      seen.add(row.id);
      if (parsed.automated) {
        // Never answered, never a new case: noted on the conversation it concerns.
        if (target.conversationId) {
          await recordEvents(tx, [
            {
              type: parsed.automated.kind === 'bounce' ? 'email_bounced' : 'email_auto_reply_received',
              conversationId: target.conversationId,
              at: new Date().toISOString(),
              actorId: 'system',
              emailId: row.id,
              reason: parsed.automated.reason,
            } as never,
          ]);
        }
        automatedIds.push(row.id);
        continue;
      }
      posts.push(toInboundPost(row, parsed, target));
      handedIds.push(row.id);
      result.handed = true;
    }
    await txRepo.markHanded(automatedIds);
    if (!deps.intake && posts.length > 0) {
      await enqueueInbound(client, posts);
      await txRepo.markHanded(handedIds);
      posts = [];
      handedIds = [];
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  if (deps.intake && posts.length > 0) {
    await deps.intake(posts);
    await repo.markHanded(handedIds);
  }
  return results;
}

/** Messages stored but never handed on (a crash between the two): parse their kept source again. */
export async function handUnhandedEmails(deps: EmailInboundDeps): Promise<number> {
  const repo = emailRepository(deps.db);
  const rows = await repo.unhanded();
  const redo = rows.filter((r) => r.rawSource);
  if (redo.length === 0) return 0;
  await ingestEmails(
    deps,
    redo.map((r) => ({
      source: r.rawSource,
      origin: r.source === 'smtp' ? 'smtp' : 'imap',
      envelopeTo: r.toAddresses,
    })),
  );
  return redo.length;
}
