/**
 * Inbound posts in bulk: which keys already exist, multi-row insert with ON CONFLICT DO NOTHING
 * on (channel_kind, channel_id, external_id), and marking posts deleted on the platform.
 */
import { CHANNEL_KINDS } from '../../domain/types.ts';
import { toPostgresJson } from '../../lib/json-text.ts';
import type { Queryable } from '../../pipeline/intake.ts';

/**
 * Every channel kind, for lookups by (channel_id, external_id): posts are unique on (channel_kind,
 * channel_id, external_id), and `channel_kind = any(all kinds)` lets that index answer them (one probe per
 * kind) where a lookup without the kind would read every post of the channel.
 */
const KIND_LIST: readonly string[] = CHANNEL_KINDS;

export const postKey = (channelKind: string, channelId: string, externalId: string) =>
  `${channelKind}\u001f${channelId}\u001f${externalId}`;

export interface PostKeyInput {
  channelKind: string;
  channelId: string;
  externalId: string;
}

export async function existingPostKeys(q: Queryable, keys: readonly PostKeyInput[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const r = await q.query<{ channel_kind: string; channel_id: string; external_id: string }>(
    `select p.channel_kind, p.channel_id::text as channel_id, p.external_id
       from posts p
       join unnest($1::text[], $2::uuid[], $3::text[]) u(k, c, e)
         on p.channel_kind = u.k and p.channel_id = u.c and p.external_id = u.e`,
    [keys.map((k) => k.channelKind), keys.map((k) => k.channelId), keys.map((k) => k.externalId)],
  );
  return new Set(r.rows.map((p) => postKey(p.channel_kind, p.channel_id, p.external_id)));
}

export interface NewInboundPost {
  id: string;
  conversationId: string | null;
  channelId: string;
  channelKind: string;
  externalId: string;
  threadExternalId: string;
  parentExternalId: string | null;
  isPrivate: boolean;
  authorIdentityId: string;
  authorHandle: string;
  text: string;
  url: string | null;
  language: string | null;
  intent: string;
  sentiment: string;
  complaintScore: number;
  postedAt: string;
  receivedAt: string;
  raw: unknown;
}

/** Inserts; returns the ids actually inserted (a key that already existed is skipped). */
export async function insertInboundPosts(
  q: Queryable,
  rows: readonly NewInboundPost[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const col = <K extends keyof NewInboundPost>(k: K) => rows.map((r) => r[k]);
  const r = await q.query<{ id: string }>(
    `insert into posts (id, conversation_id, channel_id, channel_kind, external_id, thread_external_id,
                        parent_external_id, direction, is_private, author_identity_id, author_handle, text, url,
                        language, intent, sentiment, complaint_score, posted_at, received_at, raw)
     select u.id, u.conv, u.ch, u.kind, u.ext, u.thread, u.parent, 'inbound', u.priv, u.author, u.handle, u.text,
            u.url, u.lang, u.intent, u.sent, u.score, u.posted, u.received, u.raw
       from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[],
                   $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                   $16::real[], $17::timestamptz[], $18::timestamptz[], $19::jsonb[])
            u(id, conv, ch, kind, ext, thread, parent, priv, author, handle, text, url, lang, intent, sent, score,
              posted, received, raw)
     on conflict (channel_kind, channel_id, external_id) do nothing
     returning id`,
    [
      col('id'),
      col('conversationId'),
      col('channelId'),
      col('channelKind'),
      col('externalId'),
      col('threadExternalId'),
      col('parentExternalId'),
      col('isPrivate'),
      col('authorIdentityId'),
      col('authorHandle'),
      // NUL bytes are not allowed in PostgreSQL text
      rows.map((p) => p.text.replaceAll('\u0000', '')),
      col('url'),
      col('language'),
      col('intent'),
      col('sentiment'),
      col('complaintScore'),
      col('postedAt'),
      col('receivedAt'),
      rows.map((p) => (p.raw === undefined || p.raw === null ? null : toPostgresJson(p.raw))),
    ],
  );
  return new Set(r.rows.map((x) => x.id));
}

export async function recordIgnoredPosts(
  q: Queryable,
  rows: readonly { postId: string; reason: string; ruleId: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `insert into ignored_posts (post_id, reason, rule_id) select * from unnest($1::uuid[], $2::text[], $3::text[])
     on conflict do nothing`,
    [rows.map((r) => r.postId), rows.map((r) => r.reason), rows.map((r) => r.ruleId)],
  );
}

/**
 * Marks posts deleted on the platform (kept, never removed); returns the affected posts. A deletion of a
 * post not stored yet (still in the intake, or never fetched) is kept in inbound_deletions and applied
 * when the post is stored (`applyPendingDeletions`).
 */
export async function markPostsDeleted(
  q: Queryable,
  channelId: string,
  externalIds: readonly string[],
  at: Date = new Date(),
): Promise<{ id: string; conversationId: string | null; externalId: string }[]> {
  if (externalIds.length === 0) return [];
  const r = await q.query<{ id: string; conversation_id: string | null; external_id: string }>(
    `update posts set deleted_at = $3
      where channel_kind = any($4::text[]) and channel_id = $1 and external_id = any($2::text[])
        and deleted_at is null
      returning id, conversation_id, external_id`,
    [channelId, externalIds, at, KIND_LIST],
  );
  const found = new Set(r.rows.map((x) => x.external_id));
  const pending = externalIds.filter((e) => !found.has(e));
  if (pending.length > 0) {
    // Posts already marked deleted are skipped by the update above; only unknown ones wait here.
    await q.query(
      `insert into inbound_deletions (channel_id, external_id, deleted_at)
       select $1, e, $3 from unnest($2::text[]) e
        where not exists (select 1 from posts p
                           where p.channel_kind = any($4::text[]) and p.channel_id = $1 and p.external_id = e)
       on conflict do nothing`,
      [channelId, pending, at, KIND_LIST],
    );
  }
  return r.rows.map((x) => ({ id: x.id, conversationId: x.conversation_id, externalId: x.external_id }));
}

/**
 * Applies deletions that arrived before their posts were stored: marks the posts (stored by now) deleted
 * and forgets the pending entries. Runs in every drain batch (after its posts are inserted) and in
 * housekeeping (for a deletion recorded while a drain was storing its post).
 */
export async function applyPendingDeletions(
  q: Queryable,
  /** Only these posts (a drain's batch); every pending deletion when omitted (housekeeping). */
  only?: readonly { channelId: string; externalId: string }[],
): Promise<{ id: string; conversationId: string | null; externalId: string; deletedAt: Date }[]> {
  if (only?.length === 0) return [];
  // Pending deletions are few (usually none): take them first (by the batch's keys when given), then mark
  // their posts through the unique index (channel_kind, channel_id, external_id) — never a scan of posts.
  const pending = await q.query<{ channel_id: string; external_id: string; deleted_at: Date }>(
    `delete from inbound_deletions x
      where ($1::uuid[] is null
             or (x.channel_id, x.external_id) in (select * from unnest($1::uuid[], $2::text[])))
        and exists (select 1 from posts p
                     where p.channel_kind = any($3::text[]) and p.channel_id = x.channel_id
                       and p.external_id = x.external_id)
      returning x.channel_id, x.external_id, x.deleted_at`,
    [only ? only.map((o) => o.channelId) : null, only ? only.map((o) => o.externalId) : null, KIND_LIST],
  );
  if (pending.rows.length === 0) return [];
  const r = await q.query<{
    id: string;
    conversation_id: string | null;
    external_id: string;
    deleted_at: Date;
  }>(
    `update posts p set deleted_at = coalesce(p.deleted_at, d.deleted_at)
       from unnest($1::uuid[], $2::text[], $3::timestamptz[]) d(channel_id, external_id, deleted_at)
      where p.channel_kind = any($4::text[]) and p.channel_id = d.channel_id and p.external_id = d.external_id
     returning p.id, p.conversation_id, p.external_id, p.deleted_at`,
    [
      pending.rows.map((x) => x.channel_id),
      pending.rows.map((x) => x.external_id),
      pending.rows.map((x) => x.deleted_at),
      KIND_LIST,
    ],
  );
  return r.rows.map((x) => ({
    id: x.id,
    conversationId: x.conversation_id,
    externalId: x.external_id,
    deletedAt: x.deleted_at,
  }));
}

/** The audit events for posts found deleted on the platform. */
export function postDeletedEvents(
  gone: readonly { id: string; conversationId: string | null; externalId: string }[],
  at: string,
) {
  return gone
    .filter((g) => g.conversationId)
    .map((g) => ({
      type: 'post_deleted',
      conversationId: g.conversationId!,
      at,
      actorId: 'system',
      postId: g.id,
      externalId: g.externalId,
    }));
}
