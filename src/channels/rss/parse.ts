/**
 * RSS 2.0 / RSS 1.0 / Atom parsing with `rss-parser`, normalised to what the adapter needs.
 * Malformed documents become a ChannelError('malformed_feed') naming the feed, never a crash.
 */
import Parser from 'rss-parser';
import type { InboundPost } from '../../domain/inbound-post.ts';
import { type ChannelConfig, ChannelError } from '../types.ts';

export interface FeedEntry {
  /** Stable id: guid / Atom id, else link, else title + date. */
  id: string;
  title: string;
  link?: string;
  author?: string;
  /** Plain-text body (rss-parser's contentSnippet). */
  text: string;
  /** ISO date when the feed gives one. */
  date?: string;
  raw: Record<string, unknown>;
}

export interface ParsedFeed {
  title?: string;
  link?: string;
  entries: FeedEntry[];
}

// defaultRSS: a bare `<rss>` without a version is read as 2.0 (seen in the wild, e.g. UOL).
const parser = new Parser({ timeout: 0, defaultRSS: 2 });

const s = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // xml2js shapes: { _: text, $: attrs } or arrays of them
    if (Array.isArray(v)) return s(v[0]);
    if ('_' in o) return s(o._);
    if ('name' in o) return s(o.name);
  }
  return undefined;
};

function entryId(item: Record<string, unknown>): string | undefined {
  return (
    s(item.guid) ??
    s(item.id) ??
    s(item.link) ??
    (s(item.title) ? `${s(item.title)}|${s(item.pubDate) ?? ''}` : undefined)
  );
}

export async function parseFeed(xml: string, source = 'feed'): Promise<ParsedFeed> {
  let out: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    out = await parser.parseString(xml);
  } catch (err) {
    throw new ChannelError(
      'malformed_feed',
      `${source} is not a readable RSS/Atom feed: ${(err as Error).message}`,
    );
  }
  const entries: FeedEntry[] = [];
  for (const item of (out.items ?? []) as Record<string, unknown>[]) {
    const id = entryId(item);
    if (!id) continue;
    const date =
      s(item.isoDate) ??
      (s(item.pubDate) && !Number.isNaN(Date.parse(s(item.pubDate)!))
        ? new Date(s(item.pubDate)!).toISOString()
        : undefined);
    const author = s(item.creator) ?? s(item.author);
    const guid = s(item.guid);
    // A guid is a permalink unless marked otherwise: with no <link>, an http(s) guid is the link.
    const link = s(item.link) ?? (guid && /^https?:\/\//i.test(guid) ? guid : undefined);
    entries.push({
      id,
      title: s(item.title) ?? '',
      ...(link ? { link } : {}),
      ...(author ? { author } : {}),
      text: s(item.contentSnippet) ?? s(item.summary) ?? '',
      ...(date ? { date } : {}),
      raw: item,
    });
  }
  return {
    ...(s(out.title) ? { title: s(out.title)! } : {}),
    ...(s(out.link) ? { link: s(out.link)! } : {}),
    entries,
  };
}

/** Case-insensitive whole-word (or phrase) match against title and body; no keywords = everything. */
export function matchesKeywords(entry: FeedEntry, keywords: string[]): boolean {
  const wanted = keywords.map((k) => k.trim().toLowerCase()).filter(Boolean);
  if (wanted.length === 0) return true;
  const hay = `${entry.title}\n${entry.text}`.toLowerCase();
  return wanted.some((k) => {
    const re = new RegExp(
      `(^|[^\\p{L}\\p{N}_])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}_])`,
      'u',
    );
    return re.test(hay);
  });
}

export function entryToPost(
  config: ChannelConfig,
  feedUrl: string,
  feed: ParsedFeed,
  e: FeedEntry,
  seenAt: string,
): InboundPost {
  const host = (() => {
    try {
      return new URL(e.link ?? feed.link ?? feedUrl).host;
    } catch {
      return feedUrl;
    }
  })();
  const handle = e.author ?? feed.title ?? host;
  return {
    channelKind: 'rss',
    channelId: config.id,
    externalId: e.id,
    threadExternalId: e.link ?? e.id,
    author: {
      externalId: e.author ? `${host}:${e.author}` : host,
      handle,
      ...(feed.title ? { displayName: handle } : {}),
    },
    text: [e.title, e.text].filter(Boolean).join('\n\n'),
    isPrivate: false,
    ...(e.link ? { url: e.link } : {}),
    // Undated items get the time we first saw them (the store keeps the first ingestion).
    createdAt: e.date ?? seenAt,
    matchedBy: 'feed',
    raw: e.raw,
  };
}
