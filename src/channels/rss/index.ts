/**
 * RSS/Atom channel adapter: listening only. Each source in rules.sources (absolute, or relative
 * to baseUrl; baseUrl itself when there are none) is fetched with ETag/Last-Modified, parsed,
 * keyword-filtered, and de-duplicated against the cursor (seen ids + newest date per feed).
 * Replies are drafted in Earshot and posted by a person on the site: send() refuses with
 * ChannelError('reply_on_site').
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import { readLimited } from '../mastodon/http.ts';
import {
  type ChannelAdapter,
  type ChannelConfig,
  ChannelError,
  type FetchResult,
  type OutboundMessage,
  type SendResult,
  type SyncCursor,
} from '../types.ts';
import { entryToPost, matchesKeywords, parseFeed } from './parse.ts';

export const RSS_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Ids remembered per feed (bounded; older items are also excluded by date). */
export const RSS_SEEN_IDS = 2000;
const DATE_SLACK_MS = 7 * 24 * 3600_000;

interface FeedState {
  seen: string[];
  newest?: string;
  etag?: string;
  lastModified?: string;
}

function feedUrls(config: ChannelConfig): string[] {
  const base = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;
  const sources = config.rules.sources.filter((x) => x.trim());
  if (sources.length === 0) return [config.baseUrl];
  return sources.map((src) => new URL(src.replace(/^\//, ''), base).toString());
}

function readState(cursor: SyncCursor): Record<string, FeedState> {
  try {
    return typeof cursor.feeds === 'string' ? (JSON.parse(cursor.feeds) as Record<string, FeedState>) : {};
  } catch {
    return {};
  }
}

async function fetchFeed(config: ChannelConfig, url: string, st: FeedState, now: string) {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
        ...(st.etag ? { 'if-none-match': st.etag } : {}),
        ...(st.lastModified ? { 'if-modified-since': st.lastModified } : {}),
      },
    });
  } catch (err) {
    throw new ChannelError('network', `feed ${url} could not be fetched: ${(err as Error).message}`);
  }
  if (res.status === 304) return { posts: [] as InboundPost[], state: st };
  if (res.status === 429 || res.status === 503) {
    await res.body?.cancel();
    throw new ChannelError('feed_unavailable', `feed ${url} answered ${res.status}`, res.status);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new ChannelError('feed_http_error', `feed ${url} answered ${res.status}`, res.status);
  }
  const xml = await readLimited(res, RSS_MAX_BODY_BYTES, `feed ${url}`);
  const feed = await parseFeed(xml, `feed ${url}`);
  const seen = new Set(st.seen);
  const floor = st.newest ? Date.parse(st.newest) - DATE_SLACK_MS : undefined;
  const posts: InboundPost[] = [];
  let newest = st.newest;
  for (const e of feed.entries) {
    if (e.date && (!newest || e.date > newest)) newest = e.date;
    if (seen.has(e.id)) continue;
    if (floor !== undefined && e.date && Date.parse(e.date) < floor) continue;
    seen.add(e.id);
    if (matchesKeywords(e, config.rules.keywords)) posts.push(entryToPost(config, url, feed, e, now));
  }
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  return {
    posts,
    state: {
      seen: [...seen].slice(-RSS_SEEN_IDS),
      ...(newest ? { newest } : {}),
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    },
  };
}

async function fetchInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const states = readState(cursor);
  const now = new Date().toISOString();
  const posts: InboundPost[] = [];
  const errors: ChannelError[] = [];
  const urls = feedUrls(config);
  for (const url of urls) {
    try {
      const r = await fetchFeed(config, url, states[url] ?? { seen: [] }, now);
      states[url] = r.state;
      posts.push(...r.posts);
    } catch (err) {
      errors.push(
        err instanceof ChannelError
          ? err
          : new ChannelError('feed_error', `feed ${url}: ${(err as Error).message}`),
      );
    }
  }
  // One broken feed must not stop the others; if every feed failed the caller gets the error.
  if (errors.length === urls.length && errors[0]) throw errors[0];
  return {
    posts,
    cursor: {
      feeds: JSON.stringify(states),
      lastError: errors.length ? errors.map((e) => e.message).join('; ') : null,
    },
  };
}

export const adapter: ChannelAdapter = {
  kind: 'rss',
  capabilities: {
    maxLength: 10_000,
    lengthCounting: 'chars',
    threading: false,
    privateMessages: false,
    canEdit: false,
    canDelete: false,
    replyOnSite: true,
    webhooks: false,
    polling: true,
  },
  fetchInbound,
  async send(_config: ChannelConfig, message: OutboundMessage): Promise<SendResult> {
    throw new ChannelError(
      'reply_on_site',
      `RSS/Atom is listening only: post this reply on the site itself${message.threadExternalId ? ` (${message.threadExternalId})` : ''}`,
    );
  },
};
