/**
 * Facebook webhooks. GET: Meta's verification handshake (hub.mode=subscribe + hub.verify_token →
 * the hub.challenge, else 403). POST: X-Hub-Signature-256 (sha256 HMAC of the raw body with the
 * app secret) checked in constant time before anything is parsed; then feed comment changes and
 * Messenger messages become InboundPosts (Messenger ones private), verb=remove becomes a deletion.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundPost } from '../../domain/inbound-post.ts';
import type { ChannelConfig, WebhookRequest, WebhookResult } from '../types.ts';

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const header = (req: WebhookRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifySignature(
  appSecret: string,
  rawBody: Buffer,
  signatureHeader: string | undefined,
): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader?.trim() ?? '');
  if (!m?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(m[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Graph times come as unix seconds (webhooks), ms (Messenger) or `2024-01-01T00:00:00+0000`. */
export function isoTime(v: unknown): string {
  let ms = Number.NaN;
  if (typeof v === 'number') ms = v > 1e12 ? v : v * 1000;
  else if (typeof v === 'string') ms = Date.parse(v.replace(/\+0000$/, 'Z'));
  return new Date(Number.isFinite(ms) ? ms : Date.now()).toISOString();
}

export function commentPost(
  config: ChannelConfig,
  c: {
    id: string;
    postId: string;
    parentId?: string;
    from: Obj;
    message: string;
    created: unknown;
    permalink?: string;
  },
  matchedBy: InboundPost['matchedBy'],
  raw: unknown,
): InboundPost {
  const fromId = str(c.from.id) ?? 'unknown';
  const name = str(c.from.name);
  const post: InboundPost = {
    channelKind: 'facebook',
    channelId: config.id,
    externalId: c.id,
    threadExternalId: c.postId,
    parentExternalId: c.parentId ?? c.postId,
    author: { externalId: fromId, handle: name ?? fromId },
    text: c.message,
    isPrivate: false,
    url: c.permalink ?? `https://www.facebook.com/${c.id}`,
    createdAt: isoTime(c.created),
    matchedBy,
    raw,
  };
  if (name) post.author.displayName = name;
  return post;
}

function messengerPost(config: ChannelConfig, event: Obj): InboundPost | undefined {
  const message = event.message;
  const sender = isObject(event.sender) ? str(event.sender.id) : undefined;
  if (!isObject(message) || !sender || message.is_echo === true) return undefined;
  const mid = str(message.mid);
  if (!mid) return undefined;
  const attachments = Array.isArray(message.attachments) ? message.attachments.length : 0;
  const post: InboundPost = {
    channelKind: 'facebook',
    channelId: config.id,
    externalId: mid,
    threadExternalId: `messenger:${sender}`,
    author: { externalId: sender, handle: sender },
    text: str(message.text) ?? (attachments > 0 ? `[${attachments} attachment(s)]` : ''),
    isPrivate: true,
    createdAt: isoTime(event.timestamp),
    matchedBy: 'direct',
    raw: event,
  };
  const replyTo = isObject(message.reply_to) ? str(message.reply_to.mid) : undefined;
  if (replyTo) post.parentExternalId = replyTo;
  return post;
}

export function receiveWebhook(config: ChannelConfig, req: WebhookRequest): WebhookResult {
  const method = req.method.toUpperCase();
  if (method === 'GET') {
    const expected = config.credentials.verifyToken;
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (
      req.query['hub.mode'] === 'subscribe' &&
      expected &&
      token &&
      challenge !== undefined &&
      sameSecret(token, expected)
    ) {
      return { kind: 'challenge', status: 200, body: challenge, contentType: 'text/plain' };
    }
    return {
      kind: 'rejected',
      status: 403,
      code: 'verify_failed',
      message: 'hub.verify_token does not match',
    };
  }
  if (method !== 'POST')
    return { kind: 'rejected', status: 405, code: 'method_not_allowed', message: 'GET or POST only' };
  if (req.rawBody.length > MAX_WEBHOOK_BYTES) {
    return {
      kind: 'rejected',
      status: 413,
      code: 'body_too_large',
      message: `webhook body over ${MAX_WEBHOOK_BYTES} bytes`,
    };
  }
  const secret = config.credentials.appSecret;
  if (!secret || !verifySignature(secret, req.rawBody, header(req, 'x-hub-signature-256'))) {
    return {
      kind: 'rejected',
      status: 403,
      code: 'bad_signature',
      message: 'X-Hub-Signature-256 missing or wrong',
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { kind: 'rejected', status: 400, code: 'malformed_body', message: 'webhook body is not JSON' };
  }
  if (!isObject(body) || body.object !== 'page') {
    return { kind: 'rejected', status: 403, code: 'wrong_object', message: 'not a page webhook' };
  }
  const pageId = config.accountId ?? config.credentials.pageId;
  const posts: InboundPost[] = [];
  const deleted: string[] = [];
  for (const entry of Array.isArray(body.entry) ? body.entry : []) {
    if (!isObject(entry)) continue;
    for (const event of Array.isArray(entry.messaging) ? entry.messaging : []) {
      const post = isObject(event) ? messengerPost(config, event) : undefined;
      if (post) posts.push(post);
    }
    for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
      if (!isObject(change) || change.field !== 'feed' || !isObject(change.value)) continue;
      const v = change.value;
      const id = str(v.comment_id) ?? (v.item === 'comment' ? undefined : str(v.post_id));
      if (!id || !['comment', 'status', 'post'].includes(String(v.item))) continue;
      if (v.verb === 'remove' || v.verb === 'hide') {
        deleted.push(id);
        continue;
      }
      if (v.verb !== 'add' && v.verb !== 'edited') continue;
      const from = isObject(v.from) ? v.from : {};
      if (pageId && from.id === pageId) continue; // our own replies
      const postId = str(v.post_id) ?? id;
      const parentId = str(v.parent_id);
      const permalink = isObject(v.post) ? str(v.post.permalink_url) : undefined;
      posts.push(
        commentPost(
          config,
          {
            id,
            postId,
            ...(parentId && parentId !== id ? { parentId } : {}),
            from,
            message: str(v.message) ?? '',
            created: v.created_time,
            ...(permalink
              ? { permalink: id === postId ? permalink : `${permalink}?comment_id=${id.split('_')[1] ?? id}` }
              : {}),
          },
          'webhook',
          v,
        ),
      );
    }
  }
  const result: WebhookResult = { kind: 'posts', posts };
  if (deleted.length > 0) result.deleted = deleted;
  return result;
}
