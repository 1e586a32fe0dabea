/**
 * Reddit things → InboundPost. Tolerant: unknown fields are ignored, a child without the fields
 * we need is skipped (counted), and a body that is not a Listing is a ChannelError.
 * External ids are fullnames (t1_…, t3_…, t4_…); authors are identified by username, which is
 * also what /api/compose takes.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import { ChannelError } from '../types.ts';

export interface RedditThing {
  kind: string;
  data: Record<string, unknown>;
}

export interface ParsedListing {
  things: RedditThing[];
  after: string | null;
  skipped: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseListing(body: unknown): ParsedListing {
  if (
    !isObject(body) ||
    body.kind !== 'Listing' ||
    !isObject(body.data) ||
    !Array.isArray(body.data.children)
  ) {
    throw new ChannelError('malformed_response', 'reddit response is not a Listing');
  }
  const things: RedditThing[] = [];
  let skipped = 0;
  for (const child of body.data.children as unknown[]) {
    if (
      isObject(child) &&
      typeof child.kind === 'string' &&
      isObject(child.data) &&
      typeof child.data.name === 'string'
    ) {
      things.push({ kind: child.kind, data: child.data });
    } else skipped += 1;
  }
  return { things, after: str(body.data.after) ?? null, skipped };
}

export const isDeleted = (t: RedditThing): boolean =>
  t.data.author === '[deleted]' &&
  (t.data.body === '[deleted]' || t.data.selftext === '[deleted]' || t.data.body === '[removed]');

export function createdUtc(t: RedditThing): number {
  const v = t.data.created_utc;
  return typeof v === 'number' ? v : Number(v) || 0;
}

export function thingText(t: RedditThing): string {
  if (t.kind === 't3') {
    const title = str(t.data.title) ?? '';
    const self = str(t.data.selftext) ?? '';
    return self ? `${title}\n\n${self}` : title;
  }
  return str(t.data.body) ?? '';
}

function thingUrl(t: RedditThing): string | undefined {
  const permalink = str(t.data.permalink);
  if (permalink)
    return permalink.startsWith('http')
      ? permalink
      : `https://www.reddit.com${permalink.replace(/\?.*$/, '')}`;
  const context = str(t.data.context);
  if (context) return `https://www.reddit.com${context.replace(/\?.*$/, '')}`;
  const linkPermalink = str(t.data.link_permalink);
  if (linkPermalink && t.kind === 't1')
    return `${linkPermalink.replace(/\/?$/, '/')}${str(t.data.id) ?? ''}/`;
  return t.kind === 't4' ? `https://www.reddit.com/message/messages/${str(t.data.id) ?? ''}` : undefined;
}

/** One thing → InboundPost, or undefined for kinds we do not ingest or items missing essentials. */
export function thingToPost(
  t: RedditThing,
  channelId: string,
  matchedBy: InboundPost['matchedBy'],
): InboundPost | undefined {
  const name = str(t.data.name);
  const author = str(t.data.author);
  if (!name || !author || !['t1', 't3', 't4'].includes(t.kind)) return undefined;
  const thread =
    t.kind === 't3'
      ? name
      : t.kind === 't1'
        ? (str(t.data.link_id) ?? str(t.data.parent_id) ?? name)
        : (str(t.data.first_message_name) ?? name);
  const post: InboundPost = {
    channelKind: 'reddit',
    channelId,
    externalId: name,
    threadExternalId: thread,
    author: { externalId: author, handle: author, profileUrl: `https://www.reddit.com/user/${author}` },
    text: thingText(t),
    isPrivate: t.kind === 't4',
    createdAt: new Date(createdUtc(t) * 1000).toISOString(),
    matchedBy,
    raw: t.data,
  };
  const parent =
    t.kind === 't1' ? str(t.data.parent_id) : t.kind === 't4' ? str(t.data.parent_id) : undefined;
  if (parent) post.parentExternalId = parent;
  const url = thingUrl(t);
  if (url) post.url = url;
  return post;
}

/** Reddit POST answers: {json:{errors:[[CODE, message, field]], data:{things:[…]}}}. */
export function parseJsonReply(body: unknown): { errors: [string, string, string][]; things: RedditThing[] } {
  if (!isObject(body) || !isObject(body.json))
    throw new ChannelError('malformed_response', 'reddit reply has no json envelope');
  const errors: [string, string, string][] = [];
  if (Array.isArray(body.json.errors)) {
    for (const e of body.json.errors as unknown[]) {
      if (Array.isArray(e)) errors.push([String(e[0] ?? 'UNKNOWN'), String(e[1] ?? ''), String(e[2] ?? '')]);
    }
  }
  const data = isObject(body.json.data) ? body.json.data : undefined;
  const things = Array.isArray(data?.things)
    ? (data.things as unknown[]).filter(
        (x): x is RedditThing => isObject(x) && isObject(x.data) && typeof x.kind === 'string',
      )
    : [];
  return { errors, things };
}

/** Keyword match used for streams Reddit cannot filter server-side (subreddit comments). */
export function matchesKeywords(text: string, keywords: string[]): boolean {
  if (keywords.length === 0) return true;
  const hay = text.toLowerCase();
  return keywords.some((k) => hay.includes(k.toLowerCase()));
}

/** Reddit search query for keywords: `"a b" OR c`. */
export function searchQuery(keywords: string[]): string {
  return keywords.map((k) => (/\s/.test(k) ? `"${k.replace(/"/g, '')}"` : k)).join(' OR ');
}
