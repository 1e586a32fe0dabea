/**
 * The public contact form: an accepted submission opens a private conversation (an InboundPost of
 * kind 'webform' handed to the triage intake) and emails the customer a confirmation whose Reply-To
 * is the conversation's own address (support+<token>@domain), so their answers join the same case.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  assertHeaderSafe,
  EmailHeaderError,
  isEmailAddress,
  newReplyToken,
} from '../channels/email/headers.ts';
import type { Db } from '../db/client.ts';
import { emailRepository } from '../db/repositories/email.ts';
import { InvalidError, RateLimitedError } from '../domain/errors.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import {
  checkFormStamp,
  countLinks,
  hashIp,
  MAX_LINKS,
  RATE_LIMIT,
  type StampVerdict,
} from '../http/contact/spam.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import type { EmailIntake } from './email.ts';
import { deliverNow, queueEmail } from './email-outbox.ts';
import { type EmailSettings, webformChannelId } from './email-settings.ts';

export interface ContactInput {
  name: string;
  email: string;
  subject: string;
  message: string;
  honeypot: string;
  stamp: string;
  ip: string;
}

export interface ContactDeps {
  db: Db;
  pool: pg.Pool;
  settings: EmailSettings;
  secret: string;
  intake?: EmailIntake;
  now?: () => number;
  minFillMs?: number;
}

export type ContactOutcome =
  | { kind: 'accepted'; submissionId: string; threadExternalId: string; token: string; confirmation: string }
  /** Looks like a bot: pretend success (no hint for the bot), record it. */
  | { kind: 'discarded'; reason: string };

const STAMP_MESSAGES: Record<Exclude<StampVerdict, 'ok'>, string> = {
  too_fast: 'That was very quick. Please check your message and send it again.',
  expired: 'This form was open for too long. Please send it again.',
  invalid: 'This form is out of date. Please send it again.',
};

export async function submitContact(deps: ContactDeps, input: ContactInput): Promise<ContactOutcome> {
  const repo = emailRepository(deps.db);
  const now = deps.now?.() ?? Date.now();
  const ipHash = hashIp(deps.secret, input.ip);
  const name = input.name.trim().slice(0, 200);
  const email = input.email.trim().toLowerCase();
  const subject = input.subject.trim().slice(0, 200);
  const message = input.message.trim();
  const record = (verdict: 'accepted' | 'rejected', reason: string | null, threadExternalId?: string) =>
    repo.insertSubmission({
      ipHash,
      name,
      email,
      subject,
      message: message.slice(0, 20_000),
      verdict,
      reason,
      threadExternalId,
    });

  if ((await repo.recentSubmissions(ipHash, new Date(now - RATE_LIMIT.windowMs))) >= RATE_LIMIT.max) {
    throw new RateLimitedError(
      'contact_rate_limited',
      'Too many messages from your network. Please try again in an hour.',
    );
  }
  if (input.honeypot.trim() !== '') {
    await record('rejected', 'honeypot');
    return { kind: 'discarded', reason: 'honeypot' };
  }
  const stamp = checkFormStamp(deps.secret, input.stamp, now, deps.minFillMs);
  if (stamp !== 'ok') {
    await record('rejected', `stamp_${stamp}`);
    throw new InvalidError(`contact_${stamp}`, STAMP_MESSAGES[stamp]);
  }
  if (!isEmailAddress(email))
    throw new InvalidError(
      'email_address_invalid',
      'Please give a valid email address so we can answer you.',
    );
  if (!message) throw new InvalidError('message_required', 'Please write your message.');
  if (message.length > 10_000)
    throw new InvalidError('message_too_long', 'Please keep your message under 10,000 characters.');
  try {
    assertHeaderSafe(name, 'name');
    assertHeaderSafe(subject, 'subject');
  } catch (err) {
    if (err instanceof EmailHeaderError) throw new InvalidError(err.code, err.message, { field: err.field });
    throw err;
  }
  if (countLinks(message) > MAX_LINKS) {
    await record('rejected', 'links');
    throw new InvalidError('too_many_links', `Please include at most ${MAX_LINKS} links in your message.`);
  }

  const channelId = await webformChannelId(deps.db);
  const threadExternalId = `webform:${randomUUID()}`;
  const submission = await record('accepted', null, threadExternalId);
  const token = await repo.insertToken({
    token: newReplyToken(),
    channelId,
    threadExternalId,
    customerEmail: email,
    purpose: 'webform',
  });
  const post: InboundPost = {
    channelKind: 'webform',
    channelId,
    externalId: threadExternalId,
    threadExternalId,
    author: { externalId: email, handle: email, ...(name ? { displayName: name } : {}) },
    text: `${subject || 'Contact form'}\n\n${message}`,
    isPrivate: true,
    createdAt: new Date(now).toISOString(),
    matchedBy: 'direct',
    raw: { submissionId: submission.id, subject, replyToken: token.token },
  };
  const intake = deps.intake ?? ((posts: InboundPost[]) => enqueueInbound(deps.pool, posts).then(() => {}));
  await intake([post]);

  const outbox = { db: deps.db, settings: deps.settings };
  const { row } = await queueEmail(outbox, {
    idempotencyKey: `contact-confirmation:${submission.id}`,
    purpose: 'confirmation',
    to: email,
    ...(name ? { toName: name } : {}),
    subject: `We received your message${subject ? `: ${subject}` : ''} [ref:${token.token}]`,
    text: [
      name ? `Hello ${name},` : 'Hello,',
      '',
      'Thank you for contacting us. We received your message and will answer you by email.',
      'To add anything, just reply to this email.',
      '',
      'Your message:',
      '',
      ...message.split('\n').map((l) => `> ${l}`),
      '',
      `— ${deps.settings.fromName}`,
    ].join('\n'),
    replyToken: token.token,
    threadKey: threadExternalId,
  });
  // Best effort now; the email outbox job retries with back-off if the mail server is down.
  await deliverNow(outbox, row.id).catch(() => 'retry');
  return {
    kind: 'accepted',
    submissionId: submission.id,
    threadExternalId,
    token: token.token,
    confirmation: row.id,
  };
}
