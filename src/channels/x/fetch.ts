/**
 * Polling X: recent search from listening rules (since_id + next_token), the mentions timeline
 * (since_id + pagination_token), DM events (newest first, until the last seen id), and a
 * deletion check of recently ingested ids. All state lives in the returned cursor.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import type { ChannelConfig, FetchResult, RateLimitState, SyncCursor } from '../types.ts';
import { xGet } from './client.ts';
import {
  buildSearchQuery,
  DM_FIELDS,
  dmToPost,
  TWEET_FIELDS,
  tweetToPost,
  USER_FIELDS,
  type XDmPayload,
  type XIncludes,
  type XTweetPayload,
} from './map.ts';

/** Pages per timeline per call; a backlog continues on the next call from the stored token. */
export const X_MAX_PAGES = 10;
/** Recently ingested ids re-checked for deletion each poll. */
export const X_WATCH_IDS = 100;

interface TimelineResponse {
  data?: XTweetPayload[];
  includes?: XIncludes;
  errors?: { type?: string; resource_id?: string; value?: string }[];
  meta?: { newest_id?: string; oldest_id?: string; next_token?: string; result_count?: number };
}

const str = (v: SyncCursor[string]) => (v === null || v === undefined || v === '' ? undefined : String(v));

function tighter(a: RateLimitState | undefined, b: RateLimitState | undefined): RateLimitState | undefined {
  if (!a) return b;
  if (!b) return a;
  return (b.remaining ?? Infinity) < (a.remaining ?? Infinity) ? b : a;
}

interface TimelineState {
  sinceId?: string;
  token?: string;
  pendingNewest?: string;
}

async function pageTimeline(
  config: ChannelConfig,
  path: string,
  query: Record<string, string>,
  tokenParam: 'next_token' | 'pagination_token',
  st: TimelineState,
  matchedBy: InboundPost['matchedBy'],
): Promise<{ posts: InboundPost[]; next: TimelineState; rateLimit?: RateLimitState }> {
  const posts: InboundPost[] = [];
  let token = st.token;
  let newest = st.pendingNewest;
  let rateLimit: RateLimitState | undefined;
  for (let page = 0; page < X_MAX_PAGES; page++) {
    const res = await xGet<TimelineResponse>(config, path, {
      ...query,
      max_results: '100',
      'tweet.fields': TWEET_FIELDS,
      expansions: 'author_id',
      'user.fields': USER_FIELDS,
      since_id: st.sinceId,
      [tokenParam]: token,
    });
    rateLimit = tighter(rateLimit, res.rateLimit);
    if (!token && res.data.meta?.newest_id) newest = res.data.meta.newest_id;
    for (const t of res.data.data ?? []) {
      if (!t?.id || (config.accountId && t.author_id === config.accountId)) continue;
      posts.push(tweetToPost(config, t, res.data.includes, matchedBy));
    }
    token = res.data.meta?.next_token;
    if (!token) break;
  }
  const next: TimelineState = token
    ? { ...(st.sinceId ? { sinceId: st.sinceId } : {}), token, ...(newest ? { pendingNewest: newest } : {}) }
    : { ...((newest ?? st.sinceId) ? { sinceId: (newest ?? st.sinceId)! } : {}) };
  return { posts, next, ...(rateLimit ? { rateLimit } : {}) };
}

async function fetchDms(config: ChannelConfig, newestSeen: string | undefined) {
  const posts: InboundPost[] = [];
  let token: string | undefined;
  let newest = newestSeen;
  let rateLimit: RateLimitState | undefined;
  outer: for (let page = 0; page < X_MAX_PAGES; page++) {
    const res = await xGet<{ data?: XDmPayload[]; includes?: XIncludes; meta?: { next_token?: string } }>(
      config,
      'dm_events',
      {
        event_types: 'MessageCreate',
        'dm_event.fields': DM_FIELDS,
        expansions: 'sender_id',
        'user.fields': USER_FIELDS,
        max_results: '100',
        pagination_token: token,
      },
    );
    rateLimit = tighter(rateLimit, res.rateLimit);
    for (const d of res.data.data ?? []) {
      if (!d?.id) continue;
      if (newestSeen && BigInt(d.id) <= BigInt(newestSeen)) break outer;
      if (!newest || BigInt(d.id) > BigInt(newest)) newest = d.id;
      if (d.event_type && d.event_type !== 'MessageCreate') continue;
      if (config.accountId && d.sender_id === config.accountId) continue;
      posts.push(dmToPost(config, d, res.data.includes));
    }
    token = res.data.meta?.next_token;
    if (!token) break;
  }
  return { posts, newest, rateLimit };
}

/** Ids from `watch` that X now reports as not found (deleted or made private). */
async function checkDeleted(config: ChannelConfig, watch: string[]) {
  if (watch.length === 0) return { deleted: [] as string[], rateLimit: undefined };
  const res = await xGet<TimelineResponse>(config, 'tweets', { ids: watch.join(',') });
  const deleted = (res.data.errors ?? [])
    .filter((e) => String(e.type ?? '').endsWith('/resource-not-found'))
    .map((e) => String(e.resource_id ?? e.value));
  return { deleted, rateLimit: res.rateLimit };
}

export async function fetchXInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const byId = new Map<string, InboundPost>();
  const next: SyncCursor = { ...cursor };
  let rateLimit: RateLimitState | undefined;

  const watch = (str(cursor.watchIds) ?? '').split(',').filter(Boolean);
  const { deleted, rateLimit: rlDel } = await checkDeleted(config, watch);
  rateLimit = tighter(rateLimit, rlDel);

  const query = buildSearchQuery(config.rules, config.accountHandle);
  if (query) {
    const r = await pageTimeline(
      config,
      'tweets/search/recent',
      { query },
      'next_token',
      {
        sinceId: str(cursor.searchSinceId),
        token: str(cursor.searchToken),
        pendingNewest: str(cursor.searchPendingNewest),
      },
      'search',
    );
    for (const p of r.posts) byId.set(p.externalId, p);
    next.searchSinceId = r.next.sinceId ?? null;
    next.searchToken = r.next.token ?? null;
    next.searchPendingNewest = r.next.pendingNewest ?? null;
    rateLimit = tighter(rateLimit, r.rateLimit);
  }
  if (config.accountId) {
    const r = await pageTimeline(
      config,
      `users/${encodeURIComponent(config.accountId)}/mentions`,
      {},
      'pagination_token',
      {
        sinceId: str(cursor.mentionsSinceId),
        token: str(cursor.mentionsToken),
        pendingNewest: str(cursor.mentionsPendingNewest),
      },
      'mention',
    );
    for (const p of r.posts) byId.set(p.externalId, p);
    next.mentionsSinceId = r.next.sinceId ?? null;
    next.mentionsToken = r.next.token ?? null;
    next.mentionsPendingNewest = r.next.pendingNewest ?? null;
    rateLimit = tighter(rateLimit, r.rateLimit);

    if (config.credentials.dms !== 'off') {
      const d = await fetchDms(config, str(cursor.dmNewestId));
      for (const p of d.posts) byId.set(p.externalId, p);
      next.dmNewestId = d.newest ?? null;
      rateLimit = tighter(rateLimit, d.rateLimit);
    }
  }
  const posts = [...byId.values()];
  const gone = new Set(deleted);
  const publicIds = posts.filter((p) => !p.isPrivate).map((p) => p.externalId);
  next.watchIds =
    [...watch.filter((id) => !gone.has(id)), ...publicIds].slice(-X_WATCH_IDS).join(',') || null;
  return { posts, ...(deleted.length ? { deleted } : {}), cursor: next, ...(rateLimit ? { rateLimit } : {}) };
}
