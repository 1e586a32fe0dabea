/**
 * Channel glue: admin CRUD (credentials encrypted at rest, never returned), polling one channel
 * through its adapter (cursor and rate-limit state stored in the channels row, blockedUntil honoured),
 * webhook deliveries, deleted posts, and per-channel health (last success, last error, lag).
 * Adapters come from src/channels/registry.ts, imported lazily so this works while it is absent.
 */
import type {
  ChannelAdapter,
  ChannelConfig,
  FetchResult,
  RateLimitState,
  SyncCursor,
  WebhookRequest,
  WebhookResult,
} from '../channels/types.ts';
import type { Database } from '../db/client.ts';
import { type ChannelRow, channelsRepository } from '../db/repositories/channels.ts';
import { insertEvents } from '../db/repositories/conversations.ts';
import { markPostsDeleted, postDeletedEvents } from '../db/repositories/posts.ts';
import { auditLog } from '../db/schema/index.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { ChannelKind, InboundPost } from '../domain/inbound-post.ts';
import { decryptJson, encryptJson } from '../lib/crypto.ts';
import type { EventBus } from '../lib/event-bus.ts';
import { CHANNELS_CHANGED } from '../pipeline/config.ts';
import { intakePosts } from './triage.ts';

export interface ChannelDeps {
  database: Database;
  bus?: EventBus;
  encryptionKey: Buffer;
  log?: (msg: string) => void;
  /** Tests: adapters by kind instead of the registry. */
  adapters?: Partial<Record<string, ChannelAdapter>>;
}

export interface ChannelInput {
  kind: ChannelKind;
  name: string;
  baseUrl: string;
  credentials?: Record<string, string>;
  rules?: { keywords: string[]; handles: string[]; sources: string[] };
  accountId?: string | null;
  accountHandle?: string | null;
  enabled?: boolean;
  pollIntervalSeconds?: number;
}

export interface PublicChannel {
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  rules: { keywords: string[]; handles: string[]; sources: string[] };
  accountId: string | null;
  accountHandle: string | null;
  enabled: boolean;
  pollIntervalSeconds: number;
  hasCredentials: boolean;
  health: {
    lastPolledAt: string | null;
    lastSuccessAt: string | null;
    lastErrorAt: string | null;
    lastError: string | null;
    lagMs: number | null;
    blockedUntil: string | null;
    status: 'ok' | 'error' | 'rate_limited' | 'disabled' | 'never_run';
  };
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API view of a channel: no credentials, only whether some are set. */
export function toPublicChannel(row: ChannelRow, now = new Date()): PublicChannel {
  const blocked = typeof row.rateLimit.blockedUntil === 'string' ? row.rateLimit.blockedUntil : null;
  const failing =
    row.lastErrorAt !== null && (row.lastSuccessAt === null || row.lastErrorAt > row.lastSuccessAt);
  const status = !row.enabled
    ? 'disabled'
    : blocked && Date.parse(blocked) > now.getTime()
      ? 'rate_limited'
      : failing
        ? 'error'
        : row.lastSuccessAt
          ? 'ok'
          : 'never_run';
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.baseUrl,
    rules: row.rules,
    accountId: row.accountId,
    accountHandle: row.accountHandle,
    enabled: row.enabled,
    pollIntervalSeconds: row.pollIntervalSeconds,
    hasCredentials: row.credentialsEnc !== '',
    health: {
      lastPolledAt: iso(row.lastPolledAt),
      lastSuccessAt: iso(row.lastSuccessAt),
      lastErrorAt: iso(row.lastErrorAt),
      lastError: row.lastError,
      lagMs: row.lagMs,
      blockedUntil: blocked,
      status,
    },
    createdAt: row.createdAt.toISOString(),
  };
}

/** The adapter for a kind, from the registry (lazily) unless the caller supplied adapters. */
export async function adapterFor(deps: ChannelDeps, kind: string): Promise<ChannelAdapter | null> {
  if (deps.adapters) return deps.adapters[kind] ?? null;
  try {
    const registry = await import('../channels/registry.ts');
    return registry.adapters[kind as ChannelKind] ?? null;
  } catch {
    return null;
  }
}

export function channelConfig(row: ChannelRow, key: Buffer): ChannelConfig {
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    baseUrl: row.baseUrl,
    credentials: row.credentialsEnc ? decryptJson<Record<string, string>>(key, row.credentialsEnc) : {},
    rules: row.rules,
    ...(row.accountId ? { accountId: row.accountId } : {}),
    ...(row.accountHandle ? { accountHandle: row.accountHandle } : {}),
  };
}

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/** Rate-limit state to store: an exhausted window blocks until its reset. */
function limitState(
  r: RateLimitState | undefined,
  previous: Record<string, unknown>,
): Record<string, unknown> {
  if (!r) return { ...previous, blockedUntil: undefined };
  const blockedUntil = r.blockedUntil ?? (r.remaining === 0 && r.resetAt ? r.resetAt : undefined);
  return { ...r, ...(blockedUntil ? { blockedUntil } : {}) };
}

export function channelService(deps: ChannelDeps) {
  const repo = channelsRepository(deps.database.db);
  const db = deps.database.db;
  const announce = (id: string, change: string) =>
    deps.bus?.publish({ topic: CHANNELS_CHANGED, id, change }).catch(() => {}) ?? Promise.resolve();
  const audit = (actorId: string, action: string, id: string, detail: Record<string, unknown>) =>
    db.insert(auditLog).values({ actorId, action, subjectType: 'channel', subjectId: id, detail });
  const mustGet = async (id: string) => {
    const row = await repo.get(id);
    if (!row) throw new NotFoundError('channel_not_found', 'No such channel.');
    return row;
  };

  /** Store fetched/webhook posts and deletions. */
  const absorb = async (row: ChannelRow, posts: InboundPost[], deleted: string[] | undefined) => {
    const own = posts.map((p) => ({ ...p, channelId: row.id, channelKind: row.kind as ChannelKind }));
    await intakePosts(deps, own);
    const gone = await markPostsDeleted(deps.database.pool, row.id, deleted ?? []);
    await insertEvents(deps.database.pool, postDeletedEvents(gone, new Date().toISOString()));
    return { stored: own.length, deleted: gone.length };
  };

  return {
    async list(): Promise<PublicChannel[]> {
      return (await repo.list()).map((r) => toPublicChannel(r));
    },
    async get(id: string): Promise<PublicChannel> {
      return toPublicChannel(await mustGet(id));
    },
    async create(actorId: string, input: ChannelInput): Promise<PublicChannel> {
      const row = await repo.insert({
        kind: input.kind,
        name: input.name,
        baseUrl: input.baseUrl,
        credentialsEnc: input.credentials ? encryptJson(deps.encryptionKey, input.credentials) : '',
        rules: input.rules ?? { keywords: [], handles: [], sources: [] },
        accountId: input.accountId ?? null,
        accountHandle: input.accountHandle ?? null,
        enabled: input.enabled ?? true,
        pollIntervalSeconds: input.pollIntervalSeconds ?? 60,
      });
      await audit(actorId, 'channel.create', row.id, {
        kind: row.kind,
        name: row.name,
        credentials: input.credentials ? 'set' : 'none',
      });
      await announce(row.id, 'create');
      return toPublicChannel(row);
    },
    async update(actorId: string, id: string, input: Partial<ChannelInput>): Promise<PublicChannel> {
      await mustGet(id);
      const { credentials, kind: _kind, ...rest } = input;
      const row = await repo.update(id, {
        ...rest,
        ...(credentials ? { credentialsEnc: encryptJson(deps.encryptionKey, credentials) } : {}),
      });
      await audit(actorId, 'channel.update', id, {
        fields: Object.keys(input),
        credentials: credentials ? 'replaced' : 'unchanged',
      });
      await announce(id, 'update');
      return toPublicChannel(row!);
    },
    async remove(actorId: string, id: string): Promise<void> {
      const outcome = await repo.removeIfUnused(id);
      if (outcome === 'missing') throw new NotFoundError('channel_not_found', 'No such channel.');
      if (outcome === 'in_use') {
        throw new ConflictError(
          'channel_in_use',
          'This channel has posts; disable it instead of deleting it.',
        );
      }
      await audit(actorId, 'channel.delete', id, {});
      await announce(id, 'delete');
    },

    /** Poll one channel now (the job calls this for claimed channels). Never throws for platform errors. */
    async poll(
      row: ChannelRow,
      now = new Date(),
    ): Promise<{ status: 'ok' | 'blocked' | 'error' | 'unsupported'; stored: number; deleted: number }> {
      const blocked =
        typeof row.rateLimit.blockedUntil === 'string' ? Date.parse(row.rateLimit.blockedUntil) : 0;
      if (blocked > now.getTime()) return { status: 'blocked', stored: 0, deleted: 0 };
      const adapter = await adapterFor(deps, row.kind);
      if (!adapter?.fetchInbound) return { status: 'unsupported', stored: 0, deleted: 0 };
      let result: FetchResult;
      try {
        result = await adapter.fetchInbound(channelConfig(row, deps.encryptionKey), row.cursor as SyncCursor);
      } catch (e) {
        const retryAt = (e as { retryAt?: unknown }).retryAt;
        const rateLimit =
          retryAt instanceof Date ? { ...row.rateLimit, blockedUntil: retryAt.toISOString() } : row.rateLimit;
        await repo.update(row.id, { lastErrorAt: now, lastError: errorText(e), rateLimit });
        deps.log?.(`channel ${row.id} (${row.kind}) poll failed: ${errorText(e)}`);
        return { status: 'error', stored: 0, deleted: 0 };
      }
      // Acknowledge the posts before moving the cursor: a crash in between refetches (deduplicated).
      const { stored, deleted } = await absorb(row, result.posts, result.deleted);
      const newest = Math.max(...result.posts.map((p) => Date.parse(p.createdAt)).filter(Number.isFinite));
      await repo.update(row.id, {
        cursor: result.cursor,
        rateLimit: limitState(result.rateLimit, row.rateLimit),
        lastSuccessAt: new Date(),
        ...(Number.isFinite(newest) ? { lagMs: Math.max(0, Date.now() - newest) } : {}),
      });
      return { status: 'ok', stored, deleted };
    },

    /** A webhook delivery: verified and parsed by the adapter; rejected deliveries keep nothing. */
    async webhook(id: string, req: WebhookRequest): Promise<WebhookResult> {
      const row = await repo.get(id);
      if (!row?.enabled) throw new NotFoundError('channel_not_found', 'No such channel.');
      const adapter = await adapterFor(deps, row.kind);
      if (!adapter?.receiveWebhook)
        throw new NotFoundError('webhooks_unsupported', 'This channel takes no webhooks.');
      let result: WebhookResult;
      try {
        result = adapter.receiveWebhook(channelConfig(row, deps.encryptionKey), req);
      } catch (e) {
        await repo.update(id, { lastErrorAt: new Date(), lastError: errorText(e) });
        return {
          kind: 'rejected',
          status: 400,
          code: 'malformed_webhook',
          message: 'The delivery could not be read.',
        };
      }
      if (result.kind === 'posts') {
        await absorb(row, result.posts, result.deleted);
        const newest = Math.max(...result.posts.map((p) => Date.parse(p.createdAt)).filter(Number.isFinite));
        await repo.update(id, {
          lastSuccessAt: new Date(),
          ...(Number.isFinite(newest) ? { lagMs: Math.max(0, Date.now() - newest) } : {}),
        });
      } else if (result.kind === 'rejected') {
        await repo.update(id, { lastErrorAt: new Date(), lastError: `webhook rejected: ${result.code}` });
      }
      return result;
    },
  };
}

export type ChannelService = ReturnType<typeof channelService>;
