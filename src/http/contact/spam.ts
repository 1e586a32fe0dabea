/**
 * Spam protection for the public contact form, with no third-party service:
 * - a honeypot field people never see (bots fill it);
 * - a minimum fill time, from a timestamp signed into the form when it was served (HMAC, so a bot
 *   cannot forge an old one; it also expires);
 * - a per-IP rate limit (counted on hashed IPs in the database, so every process shares it);
 * - a link-count heuristic (messages stuffed with links are refused with a clear message).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HONEYPOT_FIELD = 'website';
export const MIN_FILL_MS = 3_000;
export const MAX_FORM_AGE_MS = 24 * 60 * 60_000;
export const MAX_LINKS = 3;
export const RATE_LIMIT = { max: 5, windowMs: 60 * 60_000 };

const mac = (secret: string, value: string) =>
  createHmac('sha256', secret).update(`contact-form:${value}`).digest('base64url').slice(0, 32);

/** `<ms since epoch>.<hmac>`, put in a hidden field when the form is rendered. */
export function signFormStamp(secret: string, now = Date.now()): string {
  return `${now}.${mac(secret, String(now))}`;
}

export type StampVerdict = 'ok' | 'too_fast' | 'expired' | 'invalid';

export function checkFormStamp(
  secret: string,
  stamp: string | undefined,
  now = Date.now(),
  minMs = MIN_FILL_MS,
): StampVerdict {
  const m = /^(\d{10,16})\.([A-Za-z0-9_-]{32})$/.exec(stamp ?? '');
  if (!m) return 'invalid';
  const expected = Buffer.from(mac(secret, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  const age = now - Number(m[1]);
  if (age < minMs) return 'too_fast';
  if (age > MAX_FORM_AGE_MS) return 'expired';
  return 'ok';
}

/** Links in a message: URLs with a scheme, www. hosts, and HTML/BBCode link markup. */
export function countLinks(text: string): number {
  const urls = text.match(/\bhttps?:\/\/[^\s<>"']+|\bwww\.[a-z0-9-]+\.[a-z]{2,}[^\s<>"']*/gi) ?? [];
  const markup = text.match(/<a\s[^>]*href|\[url[=\]]/gi) ?? [];
  return urls.length + markup.length;
}

/** The IP as stored for rate limiting: an HMAC, never the address itself. */
export function hashIp(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`contact-ip:${ip}`).digest('base64url').slice(0, 22);
}
