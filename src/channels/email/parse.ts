/**
 * Raw RFC 5322 source → a parsed email with everything Earshot keeps and shows. mailparser decodes
 * charsets and RFC 2047 encoded words; malformed MIME never throws out of here: whatever can be read
 * is kept, with a note, and the raw source is always kept by the caller.
 */
import { type AddressObject, type Attachment, simpleParser } from 'mailparser';
import { type AutomatedVerdict, detectAutomated } from './automated.ts';
import { normaliseMessageId, parseReferences, syntheticMessageId, threadKeyOf } from './headers.ts';
import { stripQuotedAndSignature } from './quotes.ts';
import { sanitizeEmailHtml } from './sanitize.ts';

export interface EmailLimits {
  /** An attachment above this is dropped (not extracted) with a note; the message is kept. */
  maxAttachmentBytes: number;
  /** A message above this is refused by the SMTP listener (552) and imported headers-only from IMAP. */
  maxMessageBytes: number;
}

export const DEFAULT_LIMITS: EmailLimits = {
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxMessageBytes: 30 * 1024 * 1024,
};

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  contentId?: string;
  size: number;
  content: Buffer | null;
  dropped: boolean;
  note?: string;
}

export interface ParsedEmail {
  messageId: string;
  inReplyTo?: string;
  references: string[];
  threadKey: string;
  from: { address: string; name?: string };
  to: string[];
  cc: string[];
  /** Delivered-To / X-Original-To / envelope recipients: where reply tokens are found too. */
  deliveredTo: string[];
  subject: string;
  date: Date;
  text: string;
  html?: string;
  /** sanitize-html applied: safe to put in a page. */
  safeHtml?: string;
  displayText: string;
  attachments: ParsedAttachment[];
  automated: AutomatedVerdict | null;
  notes: string[];
}

function addresses(value: AddressObject | AddressObject[] | undefined): { address: string; name?: string }[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: { address: string; name?: string }[] = [];
  const walk = (items: AddressObject['value']) => {
    for (const a of items) {
      if (a.group) walk(a.group);
      else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name || undefined });
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

/** Raw (unfolded) value of the first header with this lower-case name. */
function rawHeader(lines: readonly { key: string; line: string }[], name: string): string | undefined {
  const found = lines.find((l) => l.key === name);
  if (!found) return undefined;
  return found.line
    .slice(found.line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** Plain text from HTML when a message has no text part (tags dropped, entities decoded by sanitize). */
function htmlToText(html: string): string {
  return sanitizeEmailHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, '\n$&'))
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function mapAttachment(a: Attachment, limits: EmailLimits): ParsedAttachment {
  const size = a.size ?? a.content?.length ?? 0;
  const filename = (a.filename ?? '').replace(/[\\/\r\n\0]/g, '_').slice(0, 255);
  const base = { filename, contentType: a.contentType || 'application/octet-stream', contentId: a.cid, size };
  if (size > limits.maxAttachmentBytes) {
    return {
      ...base,
      content: null,
      dropped: true,
      note: `Attachment "${filename || 'unnamed'}" (${size} bytes) is over the ${limits.maxAttachmentBytes}-byte limit and was not stored; it remains in the original message.`,
    };
  }
  return { ...base, content: a.content, dropped: false };
}

export async function parseEmail(source: Buffer, limits: EmailLimits = DEFAULT_LIMITS): Promise<ParsedEmail> {
  const notes: string[] = [];
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(source, { skipImageLinks: true, maxHtmlLengthToParse: 5 * 1024 * 1024 });
  } catch (err) {
    notes.push(`Malformed message, shown as raw text: ${(err as Error).message}`);
    const text = source.toString('utf8');
    const id = syntheticMessageId(source);
    return {
      messageId: id,
      references: [],
      threadKey: id,
      from: { address: '' },
      to: [],
      cc: [],
      deliveredTo: [],
      subject: '',
      date: new Date(),
      text,
      displayText: text.slice(0, 20_000),
      attachments: [],
      automated: null,
      notes,
    };
  }
  const h = mail.headers;
  const get = (name: string) => rawHeader(mail.headerLines, name);
  const messageId = normaliseMessageId(mail.messageId) ?? syntheticMessageId(source);
  if (!mail.messageId) notes.push('The message had no Message-ID; one was derived from its content.');
  const inReplyTo = normaliseMessageId(mail.inReplyTo);
  const references = parseReferences(mail.references);
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const from = addresses(mail.from)[0] ?? { address: '' };
  if (!from.address) notes.push('The message has no readable sender address.');
  const ct = h.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const html = typeof mail.html === 'string' ? mail.html : undefined;
  let text = mail.text ?? '';
  if (!text.trim() && html) text = htmlToText(html);
  if (!text.trim() && !html && mail.attachments.length === 0) {
    // Nothing readable came out of the MIME structure: show the raw body rather than nothing.
    const raw = source.toString('utf8');
    const split = raw.search(/\r?\n\r?\n/);
    const body = split >= 0 ? raw.slice(split).trim() : '';
    if (body) {
      text = body.slice(0, 200_000);
      notes.push(
        ct?.value?.startsWith('multipart/') && !ct.params?.boundary
          ? 'Malformed MIME (multipart without a boundary): the raw body is shown.'
          : 'The message structure could not be read: the raw body is shown.',
      );
    }
  }
  const attachments = mail.attachments.map((a) => mapAttachment(a, limits));
  for (const a of attachments) if (a.note) notes.push(a.note);
  const subject = (mail.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  const deliveredTo = ['delivered-to', 'x-original-to', 'envelope-to']
    .map((n) => get(n))
    .filter((v): v is string => Boolean(v))
    .map((v) => normaliseMessageId(v) ?? v)
    .map((v) => v.toLowerCase());
  return {
    messageId,
    inReplyTo,
    references,
    threadKey: threadKeyOf(messageId, inReplyTo, references),
    from,
    to: addresses(mail.to).map((a) => a.address),
    cc: addresses(mail.cc).map((a) => a.address),
    deliveredTo,
    subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : new Date(),
    text,
    html,
    safeHtml: html ? sanitizeEmailHtml(html) : undefined,
    displayText: stripQuotedAndSignature(text),
    attachments,
    automated: detectAutomated({
      header: get,
      fromAddress: from.address,
      contentType: ct?.value,
      reportType: ct?.params?.['report-type'],
      subject,
    }),
    notes,
  };
}
