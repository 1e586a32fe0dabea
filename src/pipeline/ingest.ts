/**
 * One batch through the triage pipeline, inside the caller's transaction (drain.ts):
 * validate → lock thread keys (authors are kept apart by the intake lanes, drain.ts) → skip posts
 * already stored → classify → contacts → detect language → thread → route → priority → assign → SLA
 * (conversation-stage.ts) → write everything with
 * multi-row statements → one NOTIFY. Returns what happened, for logs and benchmarks.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuthorInput,
  authorKey,
  complaintHistory,
  upsertContacts,
} from '../db/repositories/contacts.ts';
import { insertEvents } from '../db/repositories/conversations.ts';
import {
  applyPendingDeletions,
  existingPostKeys,
  insertInboundPosts,
  type NewInboundPost,
  postDeletedEvents,
  postKey,
  recordIgnoredPosts,
} from '../db/repositories/posts.ts';
import { scheduleSla } from '../db/repositories/sla-clocks.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { BUS_CHANNEL } from '../lib/event-bus.ts';
import type { Classifier } from './classifier.ts';
import type { PipelineConfig } from './config.ts';
import { decideConversations, mark, writeConversations } from './conversation-stage.ts';
import { inboundProblem, type Queryable } from './intake.ts';
import { detectLanguage } from './language.ts';
import type { TriagedPost } from './thread-route.ts';

export interface QueueRow {
  id: number;
  receivedAt: Date;
  post: unknown;
}

export interface BatchResult {
  claimed: number;
  stored: number;
  duplicates: number;
  ignored: number;
  deadLetters: number;
  created: string[];
  updated: string[];
  assigned: { conversationId: string; agentId: string }[];
  /** Arrival (acknowledgement) times of the stored posts, ms since epoch. */
  arrivals: number[];
}

/** Another worker stored one of these posts between our check and our insert: retry the batch. */
export class DuplicateRaceError extends Error {
  constructor() {
    super('a post of this batch was stored concurrently; retry');
    this.name = 'DuplicateRaceError';
  }
}

const LOCK_SEED = 7342;

/** Serialises with other transactions on the same keys (thread keys: `t\u001f<channel>\u001f<thread>`). */
export async function lockKeys(q: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `select pg_advisory_xact_lock(h)
       from (select distinct hashtextextended(k, ${LOCK_SEED}) as h from unnest($1::text[]) k order by h) s`,
    [keys],
  );
}

async function deadLetter(q: Queryable, rows: { row: QueueRow; error: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `insert into inbound_dead_letters (received_at, error, post)
     select * from unnest($1::timestamptz[], $2::text[], $3::jsonb[])`,
    [
      rows.map((r) => r.row.receivedAt),
      rows.map((r) => r.error),
      rows.map((r) => JSON.stringify(r.row.post ?? null)),
    ],
  );
}

export async function processBatch(
  q: Queryable,
  rows: readonly QueueRow[],
  deps: { classifier: Classifier; config: PipelineConfig; now?: Date },
): Promise<BatchResult> {
  let t0 = performance.now();
  const now = deps.now ?? new Date();
  const { config } = deps;
  const result: BatchResult = {
    claimed: rows.length,
    stored: 0,
    duplicates: 0,
    ignored: 0,
    deadLetters: 0,
    created: [],
    updated: [],
    assigned: [],
    arrivals: [],
  };

  // 1. Validate and de-duplicate within the batch.
  const dead: { row: QueueRow; error: string }[] = [];
  const byKey = new Map<string, { row: QueueRow; post: InboundPost }>();
  for (const row of rows) {
    const problem = inboundProblem(row.post);
    const post = row.post as InboundPost;
    if (problem) dead.push({ row, error: problem });
    else if (!config.channels.has(post.channelId))
      dead.push({ row, error: `unknown channel ${post.channelId}` });
    else {
      const key = postKey(post.channelKind, post.channelId, post.externalId);
      if (byKey.has(key)) result.duplicates++;
      else byKey.set(key, { row, post });
    }
  }
  t0 = mark('validate', t0);
  await deadLetter(q, dead);
  result.deadLetters = dead.length;
  if (byKey.size === 0) return result;

  // 2. Serialise with other workers on the same threads, then drop posts already stored.
  const items = [...byKey.values()];
  // Thread keys only: the same post always has the same thread, so duplicates are serialised; authors
  // are not locked (a 1,000-post batch touches ~1,000 authors and would serialise every worker).
  await lockKeys(
    q,
    items.map(({ post }) => `t\u001f${post.channelId}\u001f${post.threadExternalId}`),
  );
  t0 = mark('lock', t0);
  const existing = await existingPostKeys(
    q,
    items.map((i) => i.post),
  );
  const fresh = items.filter(
    ({ post }) => !existing.has(postKey(post.channelKind, post.channelId, post.externalId)),
  );
  result.duplicates += items.length - fresh.length;
  if (fresh.length === 0) return result;
  fresh.sort((a, b) => Date.parse(a.post.createdAt) - Date.parse(b.post.createdAt) || a.row.id - b.row.id);

  t0 = mark('existing', t0);
  // 3. Language and classification (CPU, in process).
  const classes = deps.classifier.classifyBatch(fresh.map((f) => f.post.text));

  t0 = mark('classify', t0);
  // 4. Contacts and their history.
  const contacts = await upsertContacts(
    q,
    fresh.map(({ post }): AuthorInput => ({ ...post.author, channelKind: post.channelKind })),
  );
  t0 = mark('contacts', t0);
  const known = [...new Set([...contacts.values()].filter((c) => !c.created).map((c) => c.contactId))];
  const history = await complaintHistory(q, known);

  t0 = mark('history', t0);
  // 5–7. Thread, route and set priority post by post in platform time order, assign the new
  // conversations, SLA due times (conversation-stage.ts).
  const triaged: TriagedPost[] = fresh.map(({ row, post }, i) => {
    const contact = contacts.get(authorKey(post.channelKind, post.author.externalId))!;
    return {
      post,
      postId: randomUUID(),
      arrival: row.receivedAt.toISOString(),
      language: post.language ?? detectLanguage(post.text),
      classification: classes[i]!,
      contactId: contact.contactId,
      identityId: contact.identityId,
      history: { previousComplaints: history.get(contact.contactId) ?? 0, vip: contact.vip },
    };
  });
  t0 = mark('language', t0);
  const { decided, events, schedule, assigned } = await decideConversations(q, triaged, config, now);
  result.assigned = assigned;

  t0 = performance.now();
  // 8. Writes: conversations before posts (foreign key), then events, ignored reasons, schedule.
  await writeConversations(q, decided);
  t0 = performance.now(); // writeConversations marks insert-conv and update-conv itself
  const postRows: NewInboundPost[] = decided.posts;
  const inserted = await insertInboundPosts(q, postRows);
  if (inserted.size !== postRows.length) throw new DuplicateRaceError();
  t0 = mark('insert-posts', t0);
  // Deletions the platform reported before these posts were stored.
  const deletedEarlier = await applyPendingDeletions(
    q,
    postRows.map((p) => ({ channelId: p.channelId, externalId: p.externalId })),
  );
  events.push(...postDeletedEvents(deletedEarlier, now.toISOString()));
  await recordIgnoredPosts(q, decided.ignored);
  await insertEvents(q, events);
  t0 = mark('events', t0);
  await scheduleSla(q, schedule);

  t0 = mark('schedule', t0);
  result.stored = postRows.length;
  result.ignored = decided.ignored.length;
  result.created = decided.created.map((c) => c.id);
  result.updated = decided.updated.map((u) => u.id);
  result.arrivals = fresh.map((f) => f.row.receivedAt.getTime());

  // 9. One notification for the whole batch, delivered at commit (NOTIFY is transactional).
  await q.query('select pg_notify($1, $2)', [BUS_CHANNEL, batchNotice(result)]);
  return result;
}

/** The batch notice: ids while they fit in NOTIFY's 8 kB, counts always. */
export function batchNotice(r: BatchResult): string {
  const counts = {
    stored: r.stored,
    ignored: r.ignored,
    created: r.created.length,
    updated: r.updated.length,
  };
  const full = {
    topic: 'pipeline.batch',
    ...counts,
    createdIds: r.created,
    updatedIds: r.updated,
    assigned: r.assigned,
  };
  const text = JSON.stringify(full);
  if (text.length <= 7800) return text;
  const assigned = r.assigned.slice(0, 25);
  return JSON.stringify({
    topic: 'pipeline.batch',
    ...counts,
    truncated: true,
    createdIds: r.created.slice(0, 60),
    updatedIds: r.updated.slice(0, 40),
    assigned,
  });
}
