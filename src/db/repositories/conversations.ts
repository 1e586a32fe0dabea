/**
 * Conversations as the pipeline writes them, in bulk: threading candidates for a batch, multi-row
 * insert of new conversations, one UPDATE FROM unnest for the ones that received posts, events.
 */
import type { ConversationEvent } from '../../domain/conversation-events.ts';
import type { ConversationState, ConversationStatus, PublicState } from '../../domain/conversation-types.ts';
import type { QueueName } from '../../domain/types.ts';
import type { Queryable } from '../../pipeline/intake.ts';

export interface CandidateRow {
  id: string;
  status: ConversationStatus;
  channelId: string;
  contactId: string;
  threadExternalIds: string[];
  lastActivityAt: string;
  resolvedAt: string | null;
  state: ConversationState;
  priority: string;
  priorityScore: number;
  messageCount: number;
  firstRespondedAt: string | null;
  intent: string;
}

interface RawCandidate {
  id: string;
  status: ConversationStatus;
  channel_id: string;
  contact_id: string | null;
  thread_external_id: string | null;
  last_activity: Date;
  resolved_at: Date | null;
  state: Partial<ConversationState>;
  queue: string;
  team: string | null;
  assignee_id: string | null;
  started_public: boolean;
  started_as_public_complaint: boolean;
  public_state: string;
  created_at: Date;
  updated_at: Date;
  priority: string;
  priority_score: number;
  message_count: number;
  first_responded_at: Date | null;
  intent: string;
}

/** The domain state of a row (stored JSON where present, columns otherwise). */
function stateOf(r: RawCandidate): ConversationState {
  const s = r.state ?? {};
  return {
    id: r.id,
    status: r.status,
    queue: r.queue as QueueName,
    team: r.team,
    assigneeId: r.assignee_id,
    startedPublic: r.started_public,
    startedAsPublicComplaint: r.started_as_public_complaint,
    publicState: r.public_state as PublicState,
    waiver: s.waiver ?? null,
    noResponseNeeded: s.noResponseNeeded ?? null,
    reopenCount: s.reopenCount ?? 0,
    openedAt: s.openedAt ?? r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    closedAt: s.closedAt ?? null,
  };
}

/**
 * Conversations a batch's posts may belong to: by platform thread (conversation's own thread or any
 * of its posts' threads) and by contact (active, or resolved recently enough to reopen).
 */
/** How many of a thread's latest posts threading looks at to find the thread's conversations. */
export const THREAD_POSTS_READ = 20;

export async function threadingCandidates(
  q: Queryable,
  threads: readonly { channelId: string; threadExternalId: string }[],
  contactIds: readonly string[],
  reopenWindowMinutes: number,
): Promise<CandidateRow[]> {
  const distinct = [
    ...new Map(threads.map((t) => [`${t.channelId}\u001f${t.threadExternalId}`, t])).values(),
  ];
  const tc = distinct.map((t) => t.channelId);
  const tt = distinct.map((t) => t.threadExternalId);
  // The conversations holding a thread's latest posts (a thread split or merged long ago keeps its older
  // conversations out): a long thread costs a bounded index range, not a read of every post in it.
  const byPosts = await q.query<{ conversation_id: string; thread_external_id: string }>(
    `select distinct x.conversation_id, u.t as thread_external_id
       from unnest($1::uuid[], $2::text[]) u(c, t)
       cross join lateral (select p.conversation_id from posts p
                            where p.channel_id = u.c and p.thread_external_id = u.t and p.conversation_id is not null
                            order by p.posted_at desc limit ${THREAD_POSTS_READ}) x`,
    [tc, tt],
  );
  // Three index lookups (id, thread, contact) united, then the rows locked: no OR over the table.
  const r = await q.query<RawCandidate>(
    `with ids as (
       select unnest($1::uuid[]) as id
       union
       select c.id from unnest($2::uuid[], $3::text[]) u(ch, t)
         join conversations c on c.channel_id = u.ch and c.thread_external_id = u.t
       union
       select c.id from conversations c
        where c.contact_id = any($4::uuid[])
          and (c.status in ('new', 'open', 'waiting_on_customer')
               or (c.status = 'resolved' and c.resolved_at > now() - make_interval(mins => $5))))
     select c.id, c.status, c.channel_id, c.contact_id, c.thread_external_id, c.resolved_at, c.state, c.queue, c.team,
            c.assignee_id, c.started_public, c.started_as_public_complaint, c.public_state, c.created_at, c.updated_at,
            c.priority, c.priority_score, c.message_count, c.first_responded_at, c.intent,
            greatest(c.created_at, c.last_customer_message_at, c.last_agent_message_at) as last_activity
       from conversations c
      where c.id in (select id from ids)
      order by c.id
      for update of c`,
    [[...new Set(byPosts.rows.map((x) => x.conversation_id))], tc, tt, contactIds, reopenWindowMinutes],
  );
  const extra = new Map<string, string[]>();
  for (const x of byPosts.rows) {
    const list = extra.get(x.conversation_id) ?? [];
    list.push(x.thread_external_id);
    extra.set(x.conversation_id, list);
  }
  return r.rows
    .filter((row) => row.channel_id !== null)
    .map((row) => ({
      id: row.id,
      status: row.status,
      channelId: row.channel_id,
      contactId: row.contact_id ?? '',
      threadExternalIds: [
        ...new Set([
          ...(row.thread_external_id ? [row.thread_external_id] : []),
          ...(extra.get(row.id) ?? []),
        ]),
      ],
      lastActivityAt: row.last_activity.toISOString(),
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      state: stateOf(row),
      priority: row.priority,
      priorityScore: row.priority_score,
      messageCount: row.message_count,
      firstRespondedAt: row.first_responded_at?.toISOString() ?? null,
      intent: row.intent,
    }));
}

export interface NewConversation {
  id: string;
  channelId: string;
  channelKind: string;
  contactId: string;
  threadExternalId: string;
  subject: string;
  state: ConversationState;
  intent: string;
  sentiment: string;
  complaintScore: number;
  priority: string;
  priorityScore: number;
  language: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  lastCustomerMessageAt: string;
  messageCount: number;
  createdAt: string;
}

export async function insertConversations(q: Queryable, rows: readonly NewConversation[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: NewConversation) => T) => rows.map(f);
  await q.query(
    `insert into conversations (id, channel_id, channel_kind, contact_id, thread_external_id, subject, status,
        public_state, queue, team, assignee_id, intent, sentiment, sentiment_start, sentiment_end, complaint_score,
        priority, priority_score, language, started_public, started_as_public_complaint, state,
        first_response_due_at, next_response_due_at, resolution_due_at, last_customer_message_at, message_count,
        created_at, updated_at)
     select u.id, u.ch, u.kind, u.contact, u.thread, u.subject, u.status, u.pub, u.queue, u.team, u.assignee,
            u.intent, u.sent, u.sent, u.sent, u.score, u.prio, u.pscore, u.lang, u.spub, u.scomp, u.state,
            u.frd, u.nrd, u.rd, u.lcm, u.n, u.created, u.created
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::real[], $15::text[],
                   $16::real[], $17::text[], $18::bool[], $19::bool[], $20::jsonb[], $21::timestamptz[],
                   $22::timestamptz[], $23::timestamptz[], $24::timestamptz[], $25::int[], $26::timestamptz[])
            u(id, ch, kind, contact, thread, subject, status, pub, queue, team, assignee, intent, sent, score, prio,
              pscore, lang, spub, scomp, state, frd, nrd, rd, lcm, n, created)`,
    [
      col((r) => r.id),
      col((r) => r.channelId),
      col((r) => r.channelKind),
      col((r) => r.contactId),
      col((r) => r.threadExternalId),
      col((r) => r.subject.replaceAll('\u0000', '')),
      col((r) => r.state.status),
      col((r) => r.state.publicState),
      col((r) => r.state.queue),
      col((r) => r.state.team),
      col((r) => r.state.assigneeId),
      col((r) => r.intent),
      col((r) => r.sentiment),
      col((r) => r.complaintScore),
      col((r) => r.priority),
      col((r) => r.priorityScore),
      col((r) => r.language),
      col((r) => r.state.startedPublic),
      col((r) => r.state.startedAsPublicComplaint),
      col((r) => JSON.stringify(r.state)),
      col((r) => r.firstResponseDueAt),
      col((r) => r.nextResponseDueAt),
      col((r) => r.resolutionDueAt),
      col((r) => r.lastCustomerMessageAt),
      col((r) => r.messageCount),
      col((r) => r.createdAt),
    ],
  );
}

export interface ConversationPatch {
  id: string;
  state: ConversationState;
  addedMessages: number;
  lastCustomerMessageAt: string;
  sentimentEnd: string;
  priority: string;
  priorityScore: number;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
}

export async function updateConversations(q: Queryable, rows: readonly ConversationPatch[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
  const col = <T>(f: (r: ConversationPatch) => T) => sorted.map(f);
  await q.query(
    `update conversations c
        set status = u.status, assignee_id = u.assignee, resolved_at = u.resolved, state = c.state || u.state,
            message_count = c.message_count + u.n,
            last_customer_message_at = greatest(c.last_customer_message_at, u.lcm),
            sentiment_end = u.sent, priority = u.prio, priority_score = u.pscore,
            first_response_due_at = u.frd, next_response_due_at = u.nrd, resolution_due_at = u.rd,
            version = c.version + 1, updated_at = now()
       from unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::jsonb[], $6::int[], $7::timestamptz[],
                   $8::text[], $9::text[], $10::real[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
            u(id, status, assignee, resolved, state, n, lcm, sent, prio, pscore, frd, nrd, rd)
      where c.id = u.id`,
    [
      col((r) => r.id),
      col((r) => r.state.status),
      col((r) => r.state.assigneeId),
      col((r) => r.state.resolvedAt),
      col((r) => JSON.stringify(r.state)),
      col((r) => r.addedMessages),
      col((r) => r.lastCustomerMessageAt),
      col((r) => r.sentimentEnd),
      col((r) => r.priority),
      col((r) => r.priorityScore),
      col((r) => r.firstResponseDueAt),
      col((r) => r.nextResponseDueAt),
      col((r) => r.resolutionDueAt),
    ],
  );
}

/** A conversation event or a pipeline event with the same envelope (type, conversationId, at, actorId). */
export type EventRecord =
  | ConversationEvent
  | { type: string; conversationId: string; at: string; actorId: string; [k: string]: unknown };

export async function insertEvents(q: Queryable, events: readonly EventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await q.query(
    `insert into conversation_events (conversation_id, type, at, actor_id, data)
     select * from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[])`,
    [
      events.map((e) => e.conversationId),
      events.map((e) => e.type),
      events.map((e) => e.at),
      events.map((e) => e.actorId),
      events.map(({ type: _t, conversationId: _c, at: _a, actorId: _x, ...data }) => JSON.stringify(data)),
    ],
  );
}
