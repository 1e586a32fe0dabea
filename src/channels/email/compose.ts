/**
 * Outbound email: nodemailer message options with threading headers (Message-ID, In-Reply-To,
 * References), a per-conversation Reply-To, a plain-text part beside HTML, and loop-prevention
 * headers. Every header value is checked for injection first. Pure.
 */
import type Mail from 'nodemailer/lib/mailer';
import { assertAddress, assertHeaderSafe, EmailHeaderError } from './headers.ts';

export interface OutboundEmail {
  messageId: string;
  from: string;
  fromName?: string;
  to: string;
  toName?: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  /** Auto-Submitted: auto-replied for confirmations (RFC 3834) so other robots do not answer them. */
  autoSubmitted?: boolean;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text → simple HTML paragraphs (links made clickable). */
export function textToHtml(text: string): string {
  const paras = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) =>
      escapeHtml(p)
        .replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`)
        .replace(/\n/g, '<br>'),
    );
  return `<!doctype html><html><body>${paras.map((p) => `<p>${p}</p>`).join('\n')}</body></html>`;
}

const bracket = (id: string) => `<${id}>`;

export function composeMail(m: OutboundEmail): Mail.Options {
  const from = assertAddress(m.from, 'sender address');
  const to = assertAddress(m.to, 'recipient address');
  const replyTo = m.replyTo ? assertAddress(m.replyTo, 'reply-to address') : undefined;
  const subject = assertHeaderSafe(m.subject, 'subject');
  if (m.fromName) assertHeaderSafe(m.fromName, 'sender name');
  if (m.toName) assertHeaderSafe(m.toName, 'recipient name');
  for (const id of [m.messageId, m.inReplyTo, ...(m.references ?? [])]) {
    if (id && (/[\s<>]/.test(id) || id.length > 250)) throw new EmailHeaderError('message id');
  }
  const headers: Record<string, string> = {};
  if (m.autoSubmitted) headers['Auto-Submitted'] = 'auto-replied';
  // Ask vacation responders not to answer our mail (no loops).
  headers['X-Auto-Response-Suppress'] = 'All';
  return {
    messageId: bracket(m.messageId),
    from: m.fromName ? { name: m.fromName, address: from } : from,
    to: m.toName ? { name: m.toName, address: to } : to,
    replyTo,
    subject,
    text: m.text,
    html: m.html ?? textToHtml(m.text),
    inReplyTo: m.inReplyTo ? bracket(m.inReplyTo) : undefined,
    references: m.references && m.references.length > 0 ? m.references.map(bracket) : undefined,
    headers,
    // nodemailer must not fold a name into a new header line or read files/URLs from fields.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
