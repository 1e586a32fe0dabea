/**
 * Pure helpers for email headers: Message-IDs, references, reply addresses and tokens, and the
 * header-injection guard for every outbound field. No I/O.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Raised for outbound values that would break or inject headers (CR/LF in a subject or name). */
export class EmailHeaderError extends Error {
  readonly code = 'email_header_injection';
  constructor(readonly field: string) {
    super(`The ${field} must be a single line (line breaks are not allowed in email headers).`);
    this.name = 'EmailHeaderError';
  }
}

export class EmailAddressError extends Error {
  readonly code = 'email_address_invalid';
  constructor(readonly field: string) {
    super(`The ${field} is not a valid email address.`);
    this.name = 'EmailAddressError';
  }
}

/** Rejects CR, LF and other control characters (NUL, vertical tab...) in a header value. */
export function assertHeaderSafe(value: string, field: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we reject
  if (/[\r\n\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/.test(value))
    throw new EmailHeaderError(field);
  return value;
}

const ADDRESS = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]{2,}$|^[^\s@<>()",;:\\[\]]+@localhost$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

export function assertAddress(value: string, field: string): string {
  assertHeaderSafe(value, field);
  const v = value.trim();
  if (!isEmailAddress(v)) throw new EmailAddressError(field);
  return v;
}

/** `<abc@host>` → `abc@host` (trimmed); empty → undefined. */
export function normaliseMessageId(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const m = /<([^<>\s]+)>/.exec(value);
  const id = (m ? m[1] : value.trim().split(/\s+/)[0]) ?? '';
  return id.length > 0 && id.length <= 998 ? id : undefined;
}

/** References header (string or list, as mailparser gives it) → Message-IDs in order, deduplicated. */
export function parseReferences(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap(
    (v) => v.match(/<[^<>\s]+>/g) ?? v.split(/\s+/),
  );
  const out: string[] = [];
  for (const p of parts) {
    const id = normaliseMessageId(p);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** The root of a thread: the first reference, else the parent, else the message itself. */
export function threadKeyOf(messageId: string, inReplyTo: string | undefined, references: string[]): string {
  return references[0] ?? inReplyTo ?? messageId;
}

/** A Message-ID derived from the outbox idempotency key: a retry carries the same id. */
export function stableMessageId(idempotencyKey: string, domain: string): string {
  const h = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `es.${h}@${domain}`;
}

/** Deterministic id for a message that arrived without one (so re-ingesting it de-duplicates). */
export function syntheticMessageId(source: Buffer): string {
  return `missing.${createHash('sha256').update(source).digest('hex').slice(0, 32)}@earshot.invalid`;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'localhost';
}

const TOKEN_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 16 characters from a 32-letter alphabet (80 bits), safe in an address local part, case-insensitive. */
export function newReplyToken(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += TOKEN_ALPHABET[b & 31];
  return out;
}

/** support@example.com + token → support+token@example.com */
export function replyAddress(base: string, token: string): string {
  const at = base.lastIndexOf('@');
  const local = base.slice(0, at).split('+')[0];
  return `${local}+${token}@${base.slice(at + 1)}`;
}

const TOKEN_RE = /^[a-km-np-z2-9]{16}$/;

/**
 * The reply token of an inbound message: from a recipient `local+token@domain` whose local part
 * matches our address, else from a `[ref:token]` marker in the subject (clients that drop Reply-To).
 */
export function extractReplyToken(
  recipients: string[],
  ourAddress: string,
  subject = '',
): string | undefined {
  const at = ourAddress.lastIndexOf('@');
  const local = ourAddress.slice(0, at).split('+')[0]?.toLowerCase();
  const domain = ourAddress.slice(at + 1).toLowerCase();
  for (const r of recipients) {
    const m = /^([^+@]+)\+([^@]+)@(.+)$/.exec(r.trim().toLowerCase());
    if (m && m[1] === local && m[3] === domain && TOKEN_RE.test(m[2] ?? '')) return m[2];
  }
  const s = /\[ref:([a-z0-9]{16})\]/i.exec(subject);
  if (s && TOKEN_RE.test(s[1]!.toLowerCase())) return s[1]!.toLowerCase();
  return undefined;
}

/** "Re: " once, whatever the customer's client did to the subject. */
export function replySubject(subject: string): string {
  const s = subject.replace(/[\r\n]+/g, ' ').trim();
  return /^(re|aw|sv|antw)\s*:/i.test(s) ? s : `Re: ${s || 'your message'}`;
}
