/**
 * Mastodon channel adapter: mention notifications and keyword search paged forward with the
 * Link header's min_id (rel="prev"), replies with Idempotency-Key = outbox key, direct
 * visibility for private follow-ups, retract by delete, and a deletion check of recent ids.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import {
  type ChannelAdapter,
  type ChannelConfig,
  ChannelError,
  type FetchResult,
  type OutboundMessage,
  type RateLimitState,
  type SendResult,
  type SyncCursor,
} from '../types.ts';
import { mastodonRequest } from './http.ts';
import {
  type MastodonAccountPayload,
  type MastodonNotificationPayload,
  type MastodonStatusPayload,
  statusToPost,
} from './map.ts';

export const MASTODON_MAX_PAGES = 25;
const PAGE = 40;
const WATCH = 100;

const str = (v: SyncCursor[string]) => (v === null || v === undefined || v === '' ? undefined : String(v));
const newer = (a: string | undefined, b: string | undefined) =>
  !a ? b : !b ? a : BigInt(a) >= BigInt(b) ? a : b;

function tighter(a: RateLimitState | undefined, b: RateLimitState | undefined) {
  if (!a) return b;
  if (!b) return a;
  return (b.remaining ?? Infinity) < (a.remaining ?? Infinity) ? b : a;
}

/** Page forward from `minId` (or take the latest page when there is none); returns the new newest id. */
async function pageForward<T extends { id: string }>(
  config: ChannelConfig,
  path: string,
  base: URLSearchParams,
  minId: string | undefined,
  items: (data: unknown) => T[],
  onItems: (items: T[]) => void,
): Promise<{ newest?: string; rateLimit?: RateLimitState }> {
  let cursor = minId;
  let newest = minId;
  let rateLimit: RateLimitState | undefined;
  for (let page = 0; page < MASTODON_MAX_PAGES; page++) {
    const q = new URLSearchParams(base);
    q.set('limit', String(PAGE));
    if (cursor) q.set('min_id', cursor);
    const res = await mastodonRequest<unknown>(config, 'GET', path, { query: q });
    rateLimit = tighter(rateLimit, res.rateLimit);
    const got = items(res.data);
    if (got.length === 0) {
      if (!newest) newest = '0'; // nothing yet: everything that appears later is new
      break;
    }
    onItems(got);
    for (const i of got) newest = newer(newest, i.id);
    if (!minId) break; // first sync: only the latest page, no history crawl
    cursor = res.link.prev?.searchParams.get('min_id') ?? newest;
  }
  return { ...(newest ? { newest } : {}), ...(rateLimit ? { rateLimit } : {}) };
}

async function fetchInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const byId = new Map<string, InboundPost>();
  const next: SyncCursor = { ...cursor };
  let rateLimit: RateLimitState | undefined;
  const keep = (p: InboundPost) => {
    if (config.accountId && p.author.externalId === config.accountId) return;
    if (!byId.has(p.externalId) || p.matchedBy !== 'search') byId.set(p.externalId, p);
  };

  const watch = (str(cursor.watchIds) ?? '').split(',').filter(Boolean);
  let deleted: string[] = [];
  if (watch.length) {
    const q = new URLSearchParams();
    for (const id of watch) q.append('id[]', id);
    try {
      const res = await mastodonRequest<MastodonStatusPayload[]>(config, 'GET', 'api/v1/statuses', {
        query: q,
      });
      const alive = new Set((res.data ?? []).map((s) => String(s.id)));
      deleted = watch.filter((id) => !alive.has(id));
      rateLimit = tighter(rateLimit, res.rateLimit);
    } catch (err) {
      if (!(err instanceof ChannelError && err.code === 'not_found')) throw err; // older servers: no batch lookup
    }
  }

  const notif = await pageForward<MastodonNotificationPayload>(
    config,
    'api/v1/notifications',
    new URLSearchParams([['types[]', 'mention']]),
    str(cursor.notificationsMinId),
    (d) => (Array.isArray(d) ? (d as MastodonNotificationPayload[]).filter((n) => n?.id) : []),
    (ns) => {
      for (const n of ns)
        if (n.type === 'mention' && n.status?.id) keep(statusToPost(config, n.status, 'mention'));
    },
  );
  next.notificationsMinId = notif.newest ?? null;
  rateLimit = tighter(rateLimit, notif.rateLimit);

  let searchNewest = str(cursor.searchMinId);
  for (const term of [
    ...config.rules.keywords,
    ...config.rules.handles.map((h) => `@${h.replace(/^@/, '')}`),
  ]) {
    if (!term.trim()) continue;
    const r = await pageForward<MastodonStatusPayload>(
      config,
      'api/v2/search',
      new URLSearchParams({ q: term, type: 'statuses', resolve: 'false' }),
      str(cursor.searchMinId),
      (d) => ((d as { statuses?: MastodonStatusPayload[] } | undefined)?.statuses ?? []).filter((s) => s?.id),
      (ss) => {
        for (const s of ss) keep(statusToPost(config, s, 'search'));
      },
    );
    searchNewest = newer(searchNewest, r.newest);
    rateLimit = tighter(rateLimit, r.rateLimit);
  }
  next.searchMinId = searchNewest ?? null;

  const posts = [...byId.values()];
  const gone = new Set(deleted);
  const ids = posts.filter((p) => !p.isPrivate).map((p) => p.externalId);
  next.watchIds = [...watch.filter((id) => !gone.has(id)), ...ids].slice(-WATCH).join(',') || null;
  return { posts, ...(deleted.length ? { deleted } : {}), cursor: next, ...(rateLimit ? { rateLimit } : {}) };
}

async function send(config: ChannelConfig, message: OutboundMessage): Promise<SendResult> {
  let text = message.text;
  if (message.isPrivate && message.recipientExternalId) {
    // A direct status reaches only the accounts it mentions.
    const who = await mastodonRequest<MastodonAccountPayload>(
      config,
      'GET',
      `api/v1/accounts/${encodeURIComponent(message.recipientExternalId)}`,
    );
    const acct = who.data.acct ?? who.data.username;
    if (acct && !text.includes(`@${acct}`)) text = `@${acct} ${text}`;
  }
  const res = await mastodonRequest<MastodonStatusPayload>(config, 'POST', 'api/v1/statuses', {
    body: {
      status: text,
      visibility: message.isPrivate ? 'direct' : 'public',
      ...(message.inReplyToExternalId ? { in_reply_to_id: message.inReplyToExternalId } : {}),
    },
    headers: { 'Idempotency-Key': message.idempotencyKey },
  });
  if (!res.data?.id) throw new ChannelError('platform_error', 'Mastodon did not return the new status id');
  return {
    externalId: String(res.data.id),
    ...(res.data.url ? { url: res.data.url } : {}),
    ...(res.rateLimit ? { rateLimit: res.rateLimit } : {}),
  };
}

async function retract(config: ChannelConfig, externalId: string): Promise<void> {
  try {
    await mastodonRequest(config, 'DELETE', `api/v1/statuses/${encodeURIComponent(externalId)}`);
  } catch (err) {
    if (err instanceof ChannelError && err.code === 'not_found') return; // already gone
    throw err;
  }
}

export const adapter: ChannelAdapter = {
  kind: 'mastodon',
  capabilities: {
    maxLength: 500,
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
