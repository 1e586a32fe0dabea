/**
 * The email outbox. Every outbound email (contact-form confirmation, sidebar invitation, reply) is a
 * row in email_outbound with a unique idempotency key and a Message-ID derived from it: queueing the
 * same key twice returns the first row, and a retry carries the same Message-ID, so a receiver (and
 * we, on the way back) recognise it. Rows are claimed queued → sending with SKIP LOCKED (one sender),
 * sent with nodemailer, then marked sent; failures are retried with exponential back-off, 5xx answers
 * and exhausted retries end as failed. Each outbound email is also recorded in email_messages so a
 * customer's reply threads back to it.
 */
import { composeMail, type OutboundEmail } from '../channels/email/compose.ts';
import {
  EmailAddressError,
  EmailHeaderError,
  replyAddress,
  stableMessageId,
} from '../channels/email/headers.ts';
import { SmtpSendError, sendSmtp } from '../channels/email/smtp-send.ts';
import type { Db } from '../db/client.ts';
import { emailRepository, type OutboundRow } from '../db/repositories/email.ts';
import { InvalidError } from '../domain/errors.ts';
import type { EmailSettings } from './email-settings.ts';

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/** Delay before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min ... capped at 1 h, ±20 % jitter. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface QueueEmailInput {
  idempotencyKey: string;
  purpose: 'confirmation' | 'invitation' | 'reply';
  conversationId?: string | null;
  to: string;
  toName?: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  /** Reply token: Reply-To becomes support+<token>@domain. */
  replyToken?: string;
  autoSubmitted?: boolean;
  /** Thread key the customer's reply should join (defaults to the references root or this message). */
  threadKey?: string;
}

export interface EmailOutboxDeps {
  db: Db;
  settings: EmailSettings;
  now?: () => Date;
}

function outboundEmail(settings: EmailSettings, row: OutboundRow, toName?: string): OutboundEmail {
  return {
    messageId: row.messageId,
    from: row.fromAddress,
    fromName: settings.fromName,
    to: row.toAddress,
    ...(toName ? { toName } : {}),
    ...(row.replyTo ? { replyTo: row.replyTo } : {}),
    subject: row.subject,
    text: row.textBody,
    ...(row.htmlBody ? { html: row.htmlBody } : {}),
    ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
    references: row.references,
    autoSubmitted: row.purpose !== 'reply',
  };
}

/** Header injection and bad addresses become a 400 with a clear message. */
function asInvalid(err: unknown): never {
  if (err instanceof EmailHeaderError || err instanceof EmailAddressError) {
    throw new InvalidError(err.code, err.message, { field: err.field });
  }
  throw err;
}

export async function queueEmail(
  deps: EmailOutboxDeps,
  input: QueueEmailInput,
): Promise<{ row: OutboundRow; created: boolean }> {
  const { settings } = deps;
  const repo = emailRepository(deps.db);
  const messageId = stableMessageId(input.idempotencyKey, settings.domain);
  const replyTo = input.replyToken ? replyAddress(settings.address, input.replyToken) : undefined;
  // Validate every header now: a bad value is the caller's error, not a send failure later.
  try {
    composeMail({
      messageId,
      from: settings.address,
      fromName: settings.fromName,
      to: input.to,
      ...(input.toName ? { toName: input.toName } : {}),
      ...(replyTo ? { replyTo } : {}),
      subject: input.subject,
      text: input.text,
      ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
      references: input.references ?? [],
    });
  } catch (err) {
    asInvalid(err);
  }
  const references = input.references ?? [];
  const result = await repo.insertOutboundOnce({
    idempotencyKey: input.idempotencyKey,
    messageId,
    conversationId: input.conversationId ?? null,
    purpose: input.purpose,
    fromAddress: settings.address,
    replyTo: replyTo ?? null,
    toAddress: input.to.trim().toLowerCase(),
    subject: input.subject,
    textBody: input.text,
    htmlBody: input.html ?? null,
    inReplyTo: input.inReplyTo ?? null,
    references,
  });
  if (result.created) {
    await repo.insertMessage({
      channelId: settings.channelId,
      direction: 'outbound',
      source: 'outbox',
      messageId,
      inReplyTo: input.inReplyTo ?? null,
      references,
      threadKey: input.threadKey ?? references[0] ?? input.inReplyTo ?? messageId,
      conversationId: input.conversationId ?? null,
      replyToken: input.replyToken ?? null,
      fromAddress: settings.address,
      toAddresses: [input.to.trim().toLowerCase()],
      subject: input.subject,
      textBody: input.text,
      htmlBody: input.html ?? null,
      displayText: input.text,
      handedAt: new Date(),
    });
  }
  return result;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'not_claimed';

async function deliverRow(deps: EmailOutboxDeps, row: OutboundRow): Promise<DeliveryOutcome> {
  const repo = emailRepository(deps.db);
  const now = deps.now?.() ?? new Date();
  const smtpUrl = deps.settings.smtpUrl;
  try {
    if (!smtpUrl)
      throw new SmtpSendError('No SMTP server is configured (SMTP_URL or the email channel).', false);
    const { response } = await sendSmtp(smtpUrl, composeMail(outboundEmail(deps.settings, row)));
    await repo.settle(row.id, {
      status: 'sent',
      sentAt: now,
      smtpResponse: response.slice(0, 500),
      lastError: null,
    });
    return 'sent';
  } catch (err) {
    const e = err instanceof SmtpSendError ? err : new SmtpSendError((err as Error).message, false);
    const giveUp = e.permanent || row.attempts >= MAX_ATTEMPTS;
    await repo.settle(row.id, {
      status: giveUp ? 'failed' : 'queued',
      lastError: e.message.slice(0, 500),
      nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)),
    });
    return giveUp ? 'failed' : 'retry';
  }
}

/** Try one queued email now (right after queueing it); the job retries it if this fails. */
export async function deliverNow(deps: EmailOutboxDeps, id: string): Promise<DeliveryOutcome> {
  const repo = emailRepository(deps.db);
  const [row] = await repo.claim(deps.now?.() ?? new Date(), 1, id);
  if (!row) return 'not_claimed';
  return deliverRow(deps, row);
}

/** The outbox job: release stuck rows, then send everything due. */
export async function deliverDueEmails(
  deps: EmailOutboxDeps,
  limit = 100,
): Promise<{ sent: number; retry: number; failed: number; released: number }> {
  const repo = emailRepository(deps.db);
  const now = deps.now?.() ?? new Date();
  const released = await repo.releaseStuck(new Date(now.getTime() - 10 * 60_000));
  const out = { sent: 0, retry: 0, failed: 0, released };
  const rows = await repo.claim(now, limit);
  for (const row of rows) {
    const r = await deliverRow(deps, row);
    if (r === 'sent') out.sent++;
    else if (r === 'retry') out.retry++;
    else if (r === 'failed') out.failed++;
  }
  return out;
}
