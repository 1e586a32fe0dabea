/**
 * Discourse posts (from /posts.json, /search.json or a webhook) → InboundPost. External id is
 * the post id, thread is the topic id; authors are usernames (what target_recipients takes).
 * Tolerant of unknown fields; a post without id/topic_id/username is skipped.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import { type ChannelConfig, ChannelError } from '../types.ts';

export type DiscoursePost = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
};

export function postsOf(body: unknown, key: 'latest_posts' | 'posts'): DiscoursePost[] {
  if (!isObject(body) || !Array.isArray(body[key])) {
    throw new ChannelError('malformed_response', `discourse response has no ${key} array`);
  }
  return (body[key] as unknown[]).filter(isObject);
}

function isoOrNow(s: string | undefined): string {
  const t = s ? Date.parse(s) : Number.NaN;
  return new Date(Number.isNaN(t) ? Date.now() : t).toISOString();
}

export const postId = (p: DiscoursePost): number | undefined => int(p.id);

/** Plain text of a post: raw markdown when present, else cooked HTML / search blurb without tags. */
export function postText(p: DiscoursePost): string {
  const raw = str(p.raw);
  if (raw !== undefined) return raw;
  const html = str(p.cooked) ?? str(p.blurb) ?? '';
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

export interface MatchRules {
  keywords: string[];
  handle?: string;
  categories: Set<number>;
  ownUsername?: string;
}

export function matchRules(config: ChannelConfig): MatchRules {
  const handle = config.accountHandle ?? config.credentials.apiUsername;
  const rules: MatchRules = {
    keywords: config.rules.keywords.map((k) => k.trim().toLowerCase()).filter(Boolean),
    categories: new Set(config.rules.sources.map(Number).filter((n) => Number.isInteger(n))),
  };
  if (handle) {
    rules.handle = handle.toLowerCase();
    rules.ownUsername = handle.toLowerCase();
  }
  return rules;
}

/** Why this post is ours to see, or undefined when no rule picks it. */
export function classify(
  p: DiscoursePost,
  rules: MatchRules,
  isPrivate: boolean,
): InboundPost['matchedBy'] | undefined {
  const username = str(p.username)?.toLowerCase();
  if (rules.ownUsername && username === rules.ownUsername) return undefined;
  if (isPrivate) return 'direct';
  const category = int(p.category_id);
  if (rules.categories.size > 0 && category !== undefined && !rules.categories.has(category))
    return undefined;
  const text = `${str(p.topic_title) ?? ''}\n${postText(p)}`.toLowerCase();
  if (
    rules.handle &&
    new RegExp(`(^|[^\\w@])@${rules.handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text)
  ) {
    return 'mention';
  }
  if (rules.keywords.length === 0) return 'feed';
  return rules.keywords.some((k) => text.includes(k)) ? 'search' : undefined;
}

export function toInboundPost(
  p: DiscoursePost,
  config: ChannelConfig,
  matchedBy: InboundPost['matchedBy'],
  isPrivate: boolean,
): InboundPost | undefined {
  const id = postId(p);
  const topicId = int(p.topic_id);
  const username = str(p.username);
  if (id === undefined || topicId === undefined || !username) return undefined;
  const base = config.baseUrl.replace(/\/$/, '');
  const postNumber = int(p.post_number);
  const path =
    str(p.post_url) ?? `/t/${str(p.topic_slug) ?? '-'}/${topicId}${postNumber ? `/${postNumber}` : ''}`;
  const post: InboundPost = {
    channelKind: 'discourse',
    channelId: config.id,
    externalId: String(id),
    threadExternalId: String(topicId),
    author: {
      externalId: username,
      handle: username,
      profileUrl: `${base}/u/${encodeURIComponent(username)}`,
    },
    text: postText(p),
    isPrivate,
    url: `${base}${path.startsWith('/') ? path : `/${path}`}`,
    createdAt: isoOrNow(str(p.created_at)),
    matchedBy,
    raw: p,
  };
  const name = str(p.name) ?? str(p.display_username);
  if (name) post.author.displayName = name;
  return post;
}
