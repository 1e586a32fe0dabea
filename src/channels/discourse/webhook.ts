/**
 * Discourse webhooks: `X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`
 * checked in constant time before anything is parsed; a bad or missing signature keeps nothing.
 * post_created / post_edited → posts (through the same listening rules as polling; private
 * messages to us always); post_destroyed → deleted; anything else → an empty, accepted delivery.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelConfig, WebhookRequest, WebhookResult } from '../types.ts';
import { classify, matchRules, toInboundPost } from './parse.ts';

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

const header = (req: WebhookRequest, name: string): string | undefined => {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export function verifySignature(
  secret: string,
  rawBody: Buffer,
  signatureHeader: string | undefined,
): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader?.trim() ?? '');
  if (!m?.[1]) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(m[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function receiveWebhook(config: ChannelConfig, req: WebhookRequest): WebhookResult {
  if (req.method.toUpperCase() !== 'POST')
    return { kind: 'rejected', status: 405, code: 'method_not_allowed', message: 'POST only' };
  if (req.rawBody.length > MAX_WEBHOOK_BYTES) {
    return {
      kind: 'rejected',
      status: 413,
      code: 'body_too_large',
      message: `webhook body over ${MAX_WEBHOOK_BYTES} bytes`,
    };
  }
  const secret = config.credentials.webhookSecret;
  if (!secret)
    return {
      kind: 'rejected',
      status: 403,
      code: 'no_secret',
      message: 'no webhook secret configured for this channel',
    };
  if (!verifySignature(secret, req.rawBody, header(req, 'x-discourse-event-signature'))) {
    return {
      kind: 'rejected',
      status: 403,
      code: 'bad_signature',
      message: 'X-Discourse-Event-Signature does not match',
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { kind: 'rejected', status: 400, code: 'malformed_body', message: 'webhook body is not JSON' };
  }
  const event = header(req, 'x-discourse-event') ?? '';
  const post = (body as { post?: unknown } | null)?.post;
  if (!post || typeof post !== 'object' || Array.isArray(post)) return { kind: 'posts', posts: [] };
  const p = post as Record<string, unknown>;
  if (event === 'post_destroyed')
    return { kind: 'posts', posts: [], deleted: p.id === undefined ? [] : [String(p.id)] };
  if (event !== 'post_created' && event !== 'post_edited' && event !== 'post_recovered')
    return { kind: 'posts', posts: [] };
  const isPrivate = p.topic_archetype === 'private_message';
  const matchedBy = classify(p, matchRules(config), isPrivate);
  if (!matchedBy) return { kind: 'posts', posts: [] };
  const inbound = toInboundPost(p, config, matchedBy, isPrivate);
  return { kind: 'posts', posts: inbound ? [inbound] : [] };
}
