/**
 * The conversation view's rows in one statement (one round trip instead of ten: on a busy machine
 * every round trip waits for a CPU). Each subquery reads one index range with a LIMIT:
 * posts_conversation_idx backwards (newest THREAD_LIMIT + 1), posts_thread_idx (platform context),
 * replies_conversation_idx, notes_conversation_idx, contact_identities_contact_idx,
 * conversations_contact_idx (history in visible queues), conversation_events_conv_idx (audit trail, and
 * from its start the `routed` event that says why the conversation is where it is).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { ConversationRow } from '../../services/conversations.ts';

/** The newest posts of a conversation shown at once. */
export const THREAD_LIMIT = 200;
export const CONTEXT_LIMIT = 100;
export const REPLIES_LIMIT = 100;
export const NOTES_LIMIT = 100;
export const HISTORY_LIMIT = 20;
export const EVENTS_LIMIT = 100;

interface PostRow {
  id: string;
  conversation_id: string | null;
  direction: 'inbound' | 'outbound';
  is_private: boolean;
  author_handle: string;
  text: string;
  url: string | null;
  posted_at: string;
  deleted_at: string | null;
}

export interface DetailRows {
  /** Newest first, THREAD_LIMIT + 1 at most (the extra one says older posts exist). */
  own: PostRow[];
  context: PostRow[];
  /** Newest first. */
  replies: {
    id: string;
    kind: string;
    is_private: boolean;
    status: string;
    text: string;
    error: string | null;
    author_id: string | null;
    author_name: string | null;
    send_after: string | null;
    external_url: string | null;
    review_comment: string | null;
    retract_reason: string | null;
    created_at: string;
  }[];
  /** Newest first. */
  notes: { id: string; text: string; author_name: string | null; created_at: string }[];
  contact: { id: string; display_name: string; email: string | null; vip: boolean } | null;
  identities: {
    channel_kind: string;
    handle: string;
    profile_url: string | null;
    followers: number | null;
  }[];
  history: { id: string; subject: string; channel_kind: string; status: string; created_at: string }[];
  events: { type: string; at: string; actor_id: string | null; actor_name: string | null; data: unknown }[];
  /** The pipeline's first routing of the conversation (its `routed` event) and the rule's current name. */
  routed: { at: string; data: Record<string, unknown>; rule_name: string | null } | null;
  channel_name: string | null;
  assignee_name: string | null;
}

const POST_COLUMNS = sql.raw(
  'p.id, p.conversation_id, p.direction, p.is_private, p.author_handle, p.text, p.url, p.posted_at, p.deleted_at',
);
const agg = (inner: ReturnType<typeof sql>) =>
  sql`(SELECT coalesce(json_agg(x), '[]'::json) FROM (${inner}) x)`;

export async function detailRows(db: Db, c: ConversationRow, queues: readonly string[]): Promise<DetailRows> {
  const visible = queues.length
    ? sql.join(
        queues.map((q) => sql`${q}`),
        sql`, `,
      )
    : sql`NULL`;
  const context =
    c.channelId && c.threadExternalId
      ? agg(sql`SELECT ${POST_COLUMNS} FROM posts p
          WHERE p.channel_id = ${c.channelId} AND p.thread_external_id = ${c.threadExternalId}
            AND (p.conversation_id IS DISTINCT FROM ${c.id}::uuid) AND NOT p.is_private
          ORDER BY p.posted_at LIMIT ${CONTEXT_LIMIT}`)
      : sql`'[]'::json`;
  const res = await db.execute(sql`SELECT
    ${agg(sql`SELECT ${POST_COLUMNS} FROM posts p WHERE p.conversation_id = ${c.id}
      ORDER BY p.posted_at DESC LIMIT ${THREAD_LIMIT + 1}`)} AS own,
    ${context} AS context,
    ${agg(sql`SELECT r.id, r.kind, r.is_private, r.status, r.text, r.error, r.author_id, u.display_name AS author_name,
        r.send_after, r.external_url, r.review_comment, r.retract_reason, r.created_at
      FROM replies r LEFT JOIN users u ON u.id = r.author_id
      WHERE r.conversation_id = ${c.id} AND r.status <> 'draft' ORDER BY r.created_at DESC LIMIT ${REPLIES_LIMIT}`)} AS replies,
    ${agg(sql`SELECT n.id, n.text, u.display_name AS author_name, n.created_at
      FROM notes n LEFT JOIN users u ON u.id = n.author_id
      WHERE n.conversation_id = ${c.id} ORDER BY n.created_at DESC LIMIT ${NOTES_LIMIT}`)} AS notes,
    (SELECT row_to_json(x) FROM (SELECT id, display_name, email, vip FROM contacts WHERE id = ${c.contactId}) x) AS contact,
    ${agg(sql`SELECT channel_kind, handle, profile_url, followers FROM contact_identities
      WHERE contact_id = ${c.contactId} LIMIT 50`)} AS identities,
    ${agg(sql`SELECT id, subject, channel_kind, status, created_at FROM conversations
      WHERE contact_id = ${c.contactId} AND id <> ${c.id} AND queue IN (${visible})
      ORDER BY created_at DESC LIMIT ${HISTORY_LIMIT}`)} AS history,
    ${agg(sql`SELECT e.type, e.at, e.actor_id, u.display_name AS actor_name, e.data
      FROM (SELECT * FROM conversation_events WHERE conversation_id = ${c.id} ORDER BY at DESC LIMIT ${EVENTS_LIMIT}) e
      LEFT JOIN users u ON u.id::text = e.actor_id ORDER BY e.at DESC`)} AS events,
    (SELECT json_build_object('at', e.at, 'data', e.data,
              'rule_name', (SELECT name FROM routing_rules r WHERE r.id::text = e.data->>'ruleId'))
       FROM conversation_events e WHERE e.conversation_id = ${c.id} AND e.type = 'routed'
      ORDER BY e.at LIMIT 1) AS routed,
    (SELECT name FROM channels WHERE id = ${c.channelId}) AS channel_name,
    (SELECT display_name FROM users WHERE id = ${c.assigneeId}) AS assignee_name`);
  return res.rows[0] as unknown as DetailRows;
}
