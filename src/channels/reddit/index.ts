/**
 * Reddit adapter (fetch, no snoowrap). Listens to inbox mentions, private messages, and the
 * chosen subreddits (ListeningRules.sources): keyword search (sort=new, restrict_sr) and new
 * comments filtered by keyword. Replies with POST /api/comment (thing_id), private messages with
 * POST /api/compose, retracts with POST /api/del. Stateless: the OAuth token and per-stream
 * cursors travel in the returned cursor; `blockedUntil` there stops the next poll from calling
 * Reddit before the rate-limit window resets.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import {
  type ChannelAdapter,
  type ChannelConfig,
  ChannelError,
  type FetchResult,
  type OutboundMessage,
  RateLimitedError,
  type SendResult,
  type SyncCursor,
} from '../types.ts';
import { RedditClient, type RedditToken } from './http.ts';
import { matchesKeywords, parseJsonReply, parseListing, searchQuery, thingText } from './parse.ts';
import { pollStream, type StreamSpec } from './poll.ts';

export const MAX_PAGES_PER_STREAM = 10;
export const PAGE_SIZE = 100;

function tokenFrom(source: Record<string, unknown>): RedditToken | undefined {
  const accessToken = source.accessToken;
  const expiresAt = Number(source.accessTokenExpiresAt);
  return typeof accessToken === 'string' &&
    accessToken &&
    Number.isFinite(expiresAt) &&
    expiresAt > Date.now()
    ? { accessToken, expiresAt }
    : undefined;
}

export function streamsFor(config: ChannelConfig): StreamSpec[] {
  const streams: StreamSpec[] = [{ key: 'mentions', path: '/message/mentions', matchedBy: 'mention' }];
  if (config.credentials.username || config.credentials.refreshToken) {
    streams.push({
      key: 'messages',
      path: '/message/messages',
      matchedBy: 'direct',
      keep: (t) => t.kind === 't4',
    });
  }
  const subs = config.rules.sources.map((s) => s.replace(/^\/?r\//, '').trim()).filter(Boolean);
  if (subs.length > 0) {
    const multi = subs.join('+');
    const keywords = config.rules.keywords.filter((k) => k.trim() !== '');
    if (keywords.length > 0) {
      streams.push({
        key: 'search',
        path: `/r/${multi}/search`,
        params: { q: searchQuery(keywords), restrict_sr: 'on', sort: 'new', t: 'all' },
        matchedBy: 'search',
      });
    } else streams.push({ key: 'new', path: `/r/${multi}/new`, matchedBy: 'feed' });
    streams.push({
      key: 'comments',
      path: `/r/${multi}/comments`,
      matchedBy: 'search',
      keep: (t) => matchesKeywords(thingText(t), keywords),
    });
  }
  return streams;
}

async function fetchInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const blocked = typeof cursor.blockedUntil === 'string' ? new Date(cursor.blockedUntil) : undefined;
  if (blocked && blocked.getTime() > Date.now())
    throw new RateLimitedError(blocked, 'reddit rate limit not reset yet');
  const next: SyncCursor = { ...cursor };
  delete next.blockedUntil;
  const client = new RedditClient(config, tokenFrom(cursor));
  const ownHandle = config.accountHandle ?? config.credentials.username;
  const posts: InboundPost[] = [];
  const deleted: string[] = [];
  const seen = new Set<string>();
  for (const stream of streamsFor(config)) {
    const out = await pollStream(client, stream, next, {
      channelId: config.id,
      ownHandle,
      maxPages: MAX_PAGES_PER_STREAM,
      pageSize: PAGE_SIZE,
    });
    for (const p of out.posts) {
      if (seen.has(p.externalId)) continue;
      seen.add(p.externalId);
      posts.push(p);
    }
    deleted.push(...out.deleted);
    if (out.exhausted) {
      next.blockedUntil = client.lastRateLimit?.blockedUntil ?? new Date(Date.now() + 60_000).toISOString();
      break;
    }
  }
  if (client.token) {
    next.accessToken = client.token.accessToken;
    next.accessTokenExpiresAt = client.token.expiresAt;
  }
  const result: FetchResult = { posts, cursor: next };
  if (deleted.length > 0) result.deleted = deleted;
  if (client.lastRateLimit) result.rateLimit = client.lastRateLimit;
  return result;
}

function raiseReplyErrors(errors: [string, string, string][]): void {
  const [first] = errors;
  if (!first) return;
  const [code, message] = first;
  if (code === 'RATELIMIT') {
    // "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again."
    const m = /(\d+)\s*(minute|second)/i.exec(message);
    const seconds = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'minute' ? 60 : 1) : 600;
    throw new RateLimitedError(new Date(Date.now() + seconds * 1000), `reddit: ${message}`);
  }
  throw new ChannelError(code.toLowerCase(), `reddit refused the post: ${code} ${message}`.trim());
}

async function send(config: ChannelConfig, message: OutboundMessage): Promise<SendResult> {
  const client = new RedditClient(config, tokenFrom(config.credentials));
  if (message.isPrivate) {
    const to = message.recipientExternalId;
    if (!to)
      throw new ChannelError(
        'missing_recipient',
        'a Reddit private message needs recipientExternalId (username)',
      );
    const subject = (config.credentials.messageSubject ?? 'Following up on your post').slice(0, 100);
    const res = await client.request('POST', '/api/compose', { to, subject, text: message.text });
    raiseReplyErrors(parseJsonReply(res.body).errors);
    // /api/compose returns no id: find the message in our sent box.
    const sent = parseListing((await client.request('GET', '/message/sent', { limit: '10' })).body);
    const mine = sent.things.find((t) => t.data.dest === to && t.data.body === message.text);
    if (!mine)
      throw new ChannelError('not_confirmed', 'reddit accepted the message but it is not in the sent box');
    const result: SendResult = { externalId: String(mine.data.name) };
    if (client.lastRateLimit) result.rateLimit = client.lastRateLimit;
    return result;
  }
  const parent = message.inReplyToExternalId ?? message.threadExternalId;
  if (!parent || !/^t[134]_/.test(parent)) {
    throw new ChannelError(
      'missing_parent',
      'a Reddit reply needs the fullname (t1_/t3_) of the post replied to',
    );
  }
  const res = await client.request('POST', '/api/comment', { thing_id: parent, text: message.text });
  const reply = parseJsonReply(res.body);
  raiseReplyErrors(reply.errors);
  const thing = reply.things[0];
  if (!thing || typeof thing.data.name !== 'string')
    throw new ChannelError('malformed_response', 'reddit reply has no thing');
  const result: SendResult = { externalId: thing.data.name };
  const permalink = thing.data.permalink;
  if (typeof permalink === 'string') result.url = `https://www.reddit.com${permalink}`;
  else if (typeof thing.data.link_permalink === 'string')
    result.url = `${thing.data.link_permalink}${String(thing.data.id)}/`;
  if (client.lastRateLimit) result.rateLimit = client.lastRateLimit;
  return result;
}

async function retract(config: ChannelConfig, externalId: string): Promise<void> {
  if (!/^t[13]_/.test(externalId))
    throw new ChannelError('not_supported', 'only comments and posts can be deleted on Reddit');
  const client = new RedditClient(config, tokenFrom(config.credentials));
  await client.request('POST', '/api/del', { id: externalId });
}

export const adapter: ChannelAdapter = {
  kind: 'reddit',
  capabilities: {
    maxLength: 10_000,
    lengthCounting: 'chars',
    threading: true,
    privateMessages: true,
    canEdit: true,
    canDelete: true,
    replyOnSite: false,
    webhooks: false,
    polling: true,
  },
  fetchInbound,
  send,
  retract,
};
