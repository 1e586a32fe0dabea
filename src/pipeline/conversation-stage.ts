/**
 * The part of triage that decides conversations, for posts already classified and matched to their
 * contacts: thread → route → priority (thread-route.ts) → assign (assign.ts) → SLA (sla-stage.ts), in
 * the caller's transaction, then the conversation writes. A drain batch (ingest.ts) runs it for the posts
 * it stores; restoring ignored posts (src/services/ignored-posts-restore.ts) runs it for posts stored
 * earlier, so both open, join and reopen conversations by the same rules.
 */
import {
  type ConversationPatch,
  type EventRecord,
  insertConversations,
  threadingCandidates,
  updateConversations,
} from '../db/repositories/conversations.ts';
import { DEFAULT_REOPEN_WINDOW_MINUTES } from '../domain/threading.ts';
import type { ChannelKind } from '../domain/types.ts';
import { type Assignable, assignConversations } from './assign.ts';
import type { PipelineConfig } from './config.ts';
import type { Queryable } from './intake.ts';
import { batchSla } from './sla-stage.ts';
import { type Decided, type TriagedPost, threadAndRoute } from './thread-route.ts';

/** Stage timings for profiling: set globalThis.__timings = {} to collect. */
export function mark(stage: string, since: number): number {
  const t = (globalThis as { __timings?: Record<string, number> }).__timings;
  const now = performance.now();
  if (t) t[stage] = Math.round((t[stage] ?? 0) + now - since);
  return now;
}

export interface ConversationDecisions {
  decided: Decided;
  /** The decisions' events and the assignments' events, to record. */
  events: EventRecord[];
  /** When the SLA timers job must next look at each new or updated conversation. */
  schedule: { conversationId: string; policyId: string | null; nextAt: string | null }[];
  assigned: { conversationId: string; agentId: string }[];
}

/**
 * Threads, routes and prioritises the posts (in the given order: platform time), assigns the new
 * conversations and sets their SLA due times. Locks the candidate conversations (FOR UPDATE).
 */
export async function decideConversations(
  q: Queryable,
  triaged: readonly TriagedPost[],
  config: PipelineConfig,
  now: Date,
): Promise<ConversationDecisions> {
  let t0 = performance.now();
  const candidates = await threadingCandidates(
    q,
    triaged.map(({ post }) => ({ channelId: post.channelId, threadExternalId: post.threadExternalId })),
    [...new Set(triaged.map((t) => t.contactId))],
    config.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES,
  );
  t0 = mark('candidates', t0);
  const decided = threadAndRoute(triaged, candidates, config);
  t0 = mark('thread-route', t0);

  const assignables: Assignable[] = decided.created.map((c) => ({
    state: c.state,
    language: c.language,
    channelKind: c.channelKind as ChannelKind,
    priorityScore: c.priorityScore,
    at: c.createdAt,
  }));
  const assignment = await assignConversations(q, assignables, config.strategy);
  assignables.forEach((a, i) => {
    decided.created[i]!.state = a.state;
  });
  t0 = mark('assign', t0);
  const events: EventRecord[] = [...decided.events, ...assignment.events];

  // New conversations from their own events, updated ones replayed with their history.
  const schedule = await batchSla(q, decided, events, config.slaPolicies, now);
  mark('sla', t0);
  return { decided, events, schedule, assigned: assignment.assigned };
}

/** Inserts the new conversations and updates the joined ones (before their posts: foreign key). */
export async function writeConversations(q: Queryable, decided: Decided): Promise<void> {
  let t0 = performance.now();
  await insertConversations(q, decided.created);
  t0 = mark('insert-conv', t0);
  await updateConversations(q, decided.updated as ConversationPatch[]);
  mark('update-conv', t0);
}
