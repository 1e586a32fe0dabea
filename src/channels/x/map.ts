/** X payloads → InboundPost, and listening rules → an X search query. Tolerant of unknown fields. */
import type { InboundPost } from '../../domain/inbound-post.ts';
import { type ChannelConfig, ChannelError, type ListeningRules } from '../types.ts';

export const TWEET_FIELDS = 'author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets,lang';
export const USER_FIELDS = 'username,name,public_metrics';
export const DM_FIELDS = 'id,text,event_type,created_at,sender_id,dm_conversation_id,participant_ids';
/** Recent search queries are capped at 512 characters on the standard tiers. */
export const X_MAX_QUERY = 512;
/** Tweet ids are snowflakes: milliseconds since the X epoch in the high bits. */
const X_EPOCH = 1288834974657n;

export interface XTweetPayload {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  lang?: string;
  referenced_tweets?: { type: string; id: string }[];
  /** Newer spec naming. */
  referenced_posts?: { type: string; id: string }[];
  [k: string]: unknown;
}

export interface XUserPayload {
  id: string;
  username?: string;
  name?: string;
  public_metrics?: { followers_count?: number };
  [k: string]: unknown;
}

export interface XDmPayload {
  id: string;
  text?: string;
  event_type?: string;
  sender_id?: string;
  created_at?: string;
  dm_conversation_id?: string;
  [k: string]: unknown;
}

export interface XIncludes {
  users?: XUserPayload[];
}

function term(word: string): string {
  const w = word.trim().replace(/"/g, '');
  return /[\s()]/.test(w) || /^(OR|AND)$/.test(w) ? `"${w}"` : w;
}

/** `(kw OR "two words" OR @handle) -is:retweet -from:us` */
export function buildSearchQuery(rules: ListeningRules, ownHandle?: string): string | undefined {
  const parts = [
    ...rules.keywords.filter((k) => k.trim()).map(term),
    ...rules.handles.filter((h) => h.trim()).map((h) => `@${h.trim().replace(/^@/, '')}`),
  ];
  if (parts.length === 0) return undefined;
  const any = parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  const q = `${any} -is:retweet${ownHandle ? ` -from:${ownHandle.replace(/^@/, '')}` : ''}`;
  if (q.length > X_MAX_QUERY)
    throw new ChannelError(
      'query_too_long',
      `X search query is ${q.length} characters; the limit is ${X_MAX_QUERY}`,
    );
  return q;
}

export function snowflakeTime(id: string): string {
  try {
    return new Date(Number((BigInt(id) >> 22n) + X_EPOCH)).toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

export function tweetToPost(
  config: ChannelConfig,
  t: XTweetPayload,
  includes: XIncludes | undefined,
  matchedBy: InboundPost['matchedBy'],
): InboundPost {
  const user = includes?.users?.find((u) => u.id === t.author_id);
  const handle = user?.username ?? t.author_id ?? 'unknown';
  const parent = (t.referenced_tweets ?? t.referenced_posts)?.find((r) => r.type === 'replied_to')?.id;
  return {
    channelKind: 'x',
    channelId: config.id,
    externalId: String(t.id),
    threadExternalId: String(t.conversation_id ?? t.id),
    ...(parent ? { parentExternalId: parent } : {}),
    author: {
      externalId: String(t.author_id ?? handle),
      handle,
      ...(user?.name ? { displayName: user.name } : {}),
      ...(typeof user?.public_metrics?.followers_count === 'number'
        ? { followers: user.public_metrics.followers_count }
        : {}),
      ...(user?.username ? { profileUrl: `https://x.com/${user.username}` } : {}),
    },
    text: String(t.text ?? ''),
    isPrivate: false,
    url: `https://x.com/${user?.username ?? 'i/web'}/status/${t.id}`,
    createdAt: t.created_at ?? snowflakeTime(t.id),
    ...(t.lang && t.lang !== 'und' ? { language: t.lang } : {}),
    matchedBy,
    raw: t,
  };
}

export function dmToPost(config: ChannelConfig, d: XDmPayload, includes: XIncludes | undefined): InboundPost {
  const user = includes?.users?.find((u) => u.id === d.sender_id);
  const handle = user?.username ?? d.sender_id ?? 'unknown';
  return {
    channelKind: 'x',
    channelId: config.id,
    externalId: String(d.id),
    threadExternalId: String(d.dm_conversation_id ?? d.id),
    author: {
      externalId: String(d.sender_id ?? handle),
      handle,
      ...(user?.name ? { displayName: user.name } : {}),
      ...(typeof user?.public_metrics?.followers_count === 'number'
        ? { followers: user.public_metrics.followers_count }
        : {}),
    },
    text: String(d.text ?? ''),
    isPrivate: true,
    createdAt: d.created_at ?? snowflakeTime(d.id),
    matchedBy: 'direct',
    raw: d,
  };
}
