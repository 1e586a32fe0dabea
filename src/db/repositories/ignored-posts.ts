/**
 * Posts the pipeline routed to `ignore` (ignored_posts, with the post in posts and no conversation):
 * newest first in keyset pages, counts per reason for the last days (bounded), and for restoring
 * (src/services/ignored-posts-restore.ts) taking them out and attaching them to their conversations.
 *
 * Pages walk ignored_posts_at_post_idx (ignored time, post id — one drain batch stamps many posts with
 * the same time) backwards from the cursor, or ignored_posts_reason_at_idx with a reason filter (migration
 * 0027); a channel-kind filter reads further back when that kind is rare. The counts read at most
 * COUNT_CAP index entries of the window, and the restore reads the posts by id.
 */
import type { Queryable } from '../../pipeline/intake.ts';
import type { NewInboundPost } from './posts.ts';

/** The excerpt of a post's text in lists. */
export const EXCERPT_CHARS = 280;
/** Ignored posts counted per request (the newest of the window); beyond it the counts are lower bounds. */
export const COUNT_CAP = 10_000;

export interface IgnoredPost {
  postId: string;
  channelKind: string;
  channelName: string | null;
  authorHandle: string;
  authorName: string | null;
  /** At most EXCERPT_CHARS characters (an ellipsis ends a cut one). */
  text: string;
  url: string | null;
  postedAt: string;
  /** When it arrived (acknowledged by the intake). */
  receivedAt: string;
  ignoredAt: string;
  reason: string;
  /** The routing rule that ignored it; null: the default policy. */
  ruleId: string | null;
  /** The rule's current name; null when the rule was deleted since (or for the default policy). */
  ruleName: string | null;
  intent: string | null;
  sentiment: string | null;
  complaintScore: number | null;
  language: string | null;
  /** When the author deleted it on the platform (it cannot be restored); null otherwise. */
  deletedAt: string | null;
  /** The keyset position of this post (ignored time in µs and post id), for `before`. */
  cursor: string;
}

export interface IgnoredFilter {
  reason?: string;
  channelKind?: string;
  /** A cursor: only posts ignored before that one. */
  before?: { atMicros: string; postId: string };
  limit: number;
}

const CURSOR = /^(\d{1,18})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** `before` as given by a client → its parts; null when it is not a cursor of this list. */
export function parseCursor(s: string): IgnoredFilter['before'] | null {
  const m = CURSOR.exec(s);
  return m ? { atMicros: m[1]!, postId: m[2]!.toLowerCase() } : null;
}

const excerpt = (text: string) =>
  text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;
const iso = (v: Date) => v.toISOString();

interface Row {
  post_id: string;
  at_us: string;
  channel_kind: string;
  channel_name: string | null;
  author_handle: string;
  author_name: string | null;
  text: string;
  url: string | null;
  posted_at: Date;
  received_at: Date;
  ignored_at: Date;
  reason: string;
  rule_id: string | null;
  rule_name: string | null;
  intent: string | null;
  sentiment: string | null;
  complaint_score: number | null;
  language: string | null;
  deleted_at: Date | null;
}

/** Newest first (ignored time, then post id), from the cursor on. */
export async function listIgnoredPosts(q: Queryable, f: IgnoredFilter): Promise<IgnoredPost[]> {
  const r = await q.query<Row>(
    `select ip.post_id, (extract(epoch from ip.at) * 1000000)::bigint::text as at_us, ip.at as ignored_at,
            ip.reason, ip.rule_id, r.name as rule_name,
            p.channel_kind, ch.name as channel_name, p.author_handle, ci.display_name as author_name,
            left(p.text, ${EXCERPT_CHARS + 1}) as text, p.url, p.posted_at, p.received_at,
            p.intent, p.sentiment, p.complaint_score, p.language, p.deleted_at
       from ignored_posts ip
       join posts p on p.id = ip.post_id
       left join channels ch on ch.id = p.channel_id
       left join contact_identities ci on ci.id = p.author_identity_id
       left join routing_rules r on r.id::text = ip.rule_id
      where ($1::bigint is null
             or (ip.at, ip.post_id) < (timestamptz 'epoch' + $1::bigint * interval '1 microsecond', $2::uuid))
        and ($3::text is null or ip.reason = $3)
        and ($4::text is null or p.channel_kind = $4)
      order by ip.at desc, ip.post_id desc
      limit $5`,
    [f.before?.atMicros ?? null, f.before?.postId ?? null, f.reason ?? null, f.channelKind ?? null, f.limit],
  );
  return r.rows.map((x) => ({
    postId: x.post_id,
    channelKind: x.channel_kind,
    channelName: x.channel_name,
    authorHandle: x.author_handle,
    authorName: x.author_name,
    text: excerpt(x.text),
    url: x.url,
    postedAt: iso(x.posted_at),
    receivedAt: iso(x.received_at),
    ignoredAt: iso(x.ignored_at),
    reason: x.reason,
    ruleId: x.rule_id,
    ruleName: x.rule_name,
    intent: x.intent,
    sentiment: x.sentiment,
    complaintScore: x.complaint_score,
    language: x.language,
    deletedAt: x.deleted_at ? iso(x.deleted_at) : null,
    cursor: `${x.at_us}_${x.post_id}`,
  }));
}

export interface ReasonCounts {
  days: number;
  counts: { reason: string; count: number }[];
  /** More than COUNT_CAP posts were ignored in the window: the counts are of the newest COUNT_CAP + 1. */
  capped: boolean;
}

/** Ignored posts per reason in the last `days` days, most first; bounded by COUNT_CAP. */
export async function countIgnoredByReason(q: Queryable, days = 7): Promise<ReasonCounts> {
  const r = await q.query<{ reason: string; n: number }>(
    `select reason, count(*)::int as n
       from (select reason from ignored_posts where at >= now() - make_interval(days => $1)
              order by at desc limit ${COUNT_CAP + 1}) x
      group by reason order by n desc, reason`,
    [days],
  );
  const counts = r.rows.map((x) => ({ reason: x.reason, count: x.n }));
  return { days, counts, capped: counts.reduce((s, c) => s + c.count, 0) > COUNT_CAP };
}

/** Takes posts out of ignored_posts (locking them); returns those that were there. */
export async function takeIgnoredPosts(
  q: Queryable,
  postIds: readonly string[],
): Promise<{ postId: string; reason: string; ruleId: string | null; ignoredAt: string }[]> {
  const r = await q.query<{ post_id: string; reason: string; rule_id: string | null; at: Date }>(
    'delete from ignored_posts where post_id = any($1::uuid[]) returning post_id, reason, rule_id, at',
    [postIds],
  );
  return r.rows.map((x) => ({
    postId: x.post_id,
    reason: x.reason,
    ruleId: x.rule_id,
    ignoredAt: iso(x.at),
  }));
}

/** A stored inbound post with what triage needs of its author, for restoring it. */
export interface StoredPost
  extends Pick<
    NewInboundPost,
    | 'id'
    | 'conversationId'
    | 'channelId'
    | 'channelKind'
    | 'externalId'
    | 'threadExternalId'
    | 'parentExternalId'
    | 'isPrivate'
    | 'text'
    | 'url'
    | 'language'
    | 'postedAt'
    | 'receivedAt'
    | 'raw'
  > {
  identityId: string;
  contactId: string;
  vip: boolean;
  author: { externalId: string; handle: string; displayName: string | null; followers: number | null };
  /** The classification stored with it. */
  intent: string | null;
  sentiment: string | null;
  complaintScore: number | null;
  deletedAt: string | null;
}

/** Inbound posts by id (unknown ids and posts without an author identity are left out). */
export async function storedPosts(q: Queryable, ids: readonly string[]): Promise<StoredPost[]> {
  const r = await q.query(
    `select p.id, p.conversation_id, p.channel_id, p.channel_kind, p.external_id,
            coalesce(p.thread_external_id, p.external_id) as thread_external_id, p.parent_external_id,
            p.is_private, p.author_identity_id, ci.contact_id, c.vip, ci.external_id as author_external_id,
            p.author_handle, ci.display_name, ci.followers, p.text, p.url, p.language, p.intent, p.sentiment,
            p.complaint_score, p.posted_at, p.received_at, p.raw, p.deleted_at
       from posts p
       join contact_identities ci on ci.id = p.author_identity_id
       join contacts c on c.id = ci.contact_id
      where p.id = any($1::uuid[]) and p.direction = 'inbound' and p.channel_id is not null`,
    [ids],
  );
  return r.rows.map((x) => ({
    id: x.id,
    conversationId: x.conversation_id,
    channelId: x.channel_id,
    channelKind: x.channel_kind,
    externalId: x.external_id,
    threadExternalId: x.thread_external_id,
    parentExternalId: x.parent_external_id,
    isPrivate: x.is_private,
    identityId: x.author_identity_id,
    contactId: x.contact_id,
    vip: x.vip,
    author: {
      externalId: x.author_external_id,
      handle: x.author_handle,
      displayName: x.display_name,
      followers: x.followers,
    },
    text: x.text,
    url: x.url,
    language: x.language,
    intent: x.intent,
    sentiment: x.sentiment,
    complaintScore: x.complaint_score,
    postedAt: iso(x.posted_at),
    receivedAt: iso(x.received_at),
    raw: x.raw,
    deletedAt: x.deleted_at ? iso(x.deleted_at) : null,
  }));
}

/** Puts posts (stored without one) into their conversations. */
export async function attachPosts(
  q: Queryable,
  rows: readonly { postId: string; conversationId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `update posts p set conversation_id = u.conv
       from unnest($1::uuid[], $2::uuid[]) u(id, conv)
      where p.id = u.id and p.conversation_id is null`,
    [rows.map((r) => r.postId), rows.map((r) => r.conversationId)],
  );
}

/** Names of routing rules by id (a deleted rule is missing). */
export async function ruleNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await q.query<{ id: string; name: string }>(
    'select id::text as id, name from routing_rules where id::text = any($1::text[])',
    [ids],
  );
  return new Map(r.rows.map((x) => [x.id, x.name]));
}
