/**
 * Restoring posts triage ignored (docs/PIPELINE.md, "Ignored posts"): each is given the conversation
 * the pipeline would have given it had it not been ignored — the pipeline's own stage
 * (src/pipeline/conversation-stage.ts: threading with the same contact and thread, routing, priority,
 * assignment, SLA) with the chosen queue and the corrected intent. A post whose thread or contact has a
 * conversation joins it; otherwise a new conversation opens in the queue.
 *
 * Times: the post keeps its arrival (posts.received_at); its conversation opens at the restore, and its
 * SLA clocks start then — a post ignored for two days is not overdue the moment an agent gets it. The
 * `restored` event records when it arrived and when it was ignored, so the delay stays visible.
 *
 * One transaction per request: every post is restored or none. Writes what the pipeline writes
 * (conversations, events, SLA schedule; the triggers announce the conversations on the bus, plus the
 * pipeline's batch notice), takes the posts out of ignored_posts, records a `restored` event, an
 * audit_log entry and, when the restorer chose an intent that differs from the classifier's, a label correction for
 * `earshot model retrain`.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database } from '../db/client.ts';
import { complaintHistory } from '../db/repositories/contacts.ts';
import { insertEvents } from '../db/repositories/conversations.ts';
import { attachPosts, ruleNames, storedPosts, takeIgnoredPosts } from '../db/repositories/ignored-posts.ts';
import { scheduleSla } from '../db/repositories/sla-clocks.ts';
import * as schema from '../db/schema/index.ts';
import { laneOf } from '../db/schema/pipeline.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../domain/errors.ts';
import { RESTORE_MAX_POSTS, restoredIntent, restoreQueue } from '../domain/ignored-posts.ts';
import { canRestoreIgnoredPost, type Role, requirePermission } from '../domain/roles.ts';
import type { Intent, QueueName } from '../domain/types.ts';
import { BUS_CHANNEL } from '../lib/event-bus.ts';
import { loadPipelineConfig } from '../pipeline/config.ts';
import { decideConversations, writeConversations } from '../pipeline/conversation-stage.ts';
import { emptyResult, LANE_LOCK } from '../pipeline/drain.ts';
import { batchNotice, lockKeys } from '../pipeline/ingest.ts';
import type { TriagedPost } from '../pipeline/thread-route.ts';
import { inboundPost, storedClassification, toQueue } from './ignored-posts-stored.ts';

/** Who restores: an account (API, app) or the command line (no account, any queue). */
export interface RestoreActor {
  id: string | null;
  role: Role | 'system';
  via: 'api' | 'app' | 'cli';
}

export interface RestoreRequest {
  postIds: readonly string[];
  queue?: string;
  intent?: string;
}

export interface RestoredPost {
  postId: string;
  conversationId: string;
  /** opened: a new conversation; joined: one of the same thread or contact already there. */
  conversation: 'opened' | 'joined';
  /** The conversation's queue (a joined conversation keeps its own). */
  queue: QueueName;
  intent: Intent;
  assigneeId: string | null;
}

/** The refusal for ids that are not ignored posts: restored already (409) or unknown (404). */
async function refuseMissing(q: Parameters<typeof storedPosts>[0], missing: string[]): Promise<never> {
  const found = await storedPosts(q, missing);
  const restored = found.find((p) => p.conversationId !== null);
  if (restored) {
    throw new ConflictError(
      'already_restored',
      `Post ${restored.id} is not ignored: it is in conversation ${restored.conversationId}.`,
      { postId: restored.id, conversationId: restored.conversationId },
    );
  }
  const unknown = missing.find((id) => !found.some((p) => p.id === id)) ?? missing[0]!;
  throw new NotFoundError('ignored_post_not_found', `No ignored post ${unknown}.`, { postId: unknown });
}

function validate(req: RestoreRequest): { ids: string[]; queue: QueueName } {
  const ids = [...new Set(req.postIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0 || ids.length > RESTORE_MAX_POSTS) {
    throw new InvalidError('invalid_post_ids', `Restore 1 to ${RESTORE_MAX_POSTS} posts at a time.`, {
      count: ids.length,
    });
  }
  return { ids, queue: restoreQueue(req.queue) };
}

export async function restoreIgnoredPosts(
  database: Pick<Database, 'db' | 'pool'>,
  actor: RestoreActor,
  req: RestoreRequest,
  now = new Date(),
): Promise<RestoredPost[]> {
  const { ids, queue } = validate(req);
  requirePermission(canRestoreIgnoredPost(actor.role, queue), `restore ignored posts to ${queue}`, {
    id: actor.id ?? 'cli',
    role: actor.role,
  });
  const config = await loadPipelineConfig(database.db);
  const at = now.toISOString();
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    const tx = drizzle(client, { schema });
    // The account that assigns, for the realtime "assigned to you" notice (migration 0026).
    if (actor.id) await client.query(`select set_config('earshot.actor', $1, true)`, [actor.id]);
    // Serialise with drains and other restores as a drain batch is: first the authors' intake lanes
    // (a drain holds its lane for the whole batch, so no batch of the same customers is in flight and
    // none starts — drains only try a lane), then the threads. Lanes in ascending order; the lane is
    // the intake's generated column (inbound_queue.lane) computed from the stored post.
    await client.query(
      `select pg_advisory_xact_lock($2, l)
         from (select distinct ${laneOf('p.channel_kind', 'ci.external_id')}::int as l
                 from posts p join contact_identities ci on ci.id = p.author_identity_id
                where p.id = any($1::uuid[]) order by 1) lanes`,
      [ids, LANE_LOCK],
    );
    const threads = await client.query<{ k: string }>(
      `select 't' || chr(31) || channel_id || chr(31) || coalesce(thread_external_id, external_id) as k
         from posts where id = any($1::uuid[])`,
      [ids],
    );
    await lockKeys(
      client,
      threads.rows.map((r) => r.k),
    );
    const taken = await takeIgnoredPosts(client, ids);
    if (taken.length < ids.length) {
      await refuseMissing(
        client,
        ids.filter((id) => !taken.some((t) => t.postId === id)),
      );
    }
    const posts = (await storedPosts(client, ids)).sort(
      (a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt) || (a.id < b.id ? -1 : 1),
    );
    if (posts.length < ids.length) await refuseMissing(client, ids);
    const deleted = posts.find((p) => p.deletedAt !== null);
    if (deleted) {
      throw new ConflictError(
        'post_deleted',
        `Post ${deleted.id} was deleted on the platform by its author: there is nothing to answer.`,
        { postId: deleted.id, deletedAt: deleted.deletedAt },
      );
    }
    const history = await complaintHistory(client, [...new Set(posts.map((p) => p.contactId))]);
    const intents = new Map(posts.map((p) => [p.id, restoredIntent(queue, p.intent, req.intent)]));
    const triaged: TriagedPost[] = posts.map((p) => ({
      post: inboundPost(p),
      postId: p.id,
      arrival: at,
      language: p.language,
      classification: storedClassification(p, intents.get(p.id)!),
      contactId: p.contactId,
      identityId: p.identityId,
      history: { previousComplaints: history.get(p.contactId) ?? 0, vip: p.vip },
    }));
    const { decided, events, schedule, assigned } = await decideConversations(
      client,
      triaged,
      { ...config, router: toQueue(config.router, queue) },
      now,
    );
    // A post joins its thread's or customer's open conversation, whatever its queue: a restorer may
    // only put it where they may restore to (a moderator: moderation only).
    for (const c of [...decided.created, ...decided.updated]) {
      if (!canRestoreIgnoredPost(actor.role, c.state.queue)) {
        throw new ForbiddenError(
          'joins_other_queue',
          `The post would join the customer's conversation in ${c.state.queue}, where you cannot restore posts.`,
          { conversationId: c.id, queue: c.state.queue },
        );
      }
    }
    for (const e of events) if (e.type === 'routed') Object.assign(e, { restored: true });
    await writeConversations(client, decided);
    const conversationOf = new Map(decided.posts.map((p) => [p.id, p.conversationId!]));
    await attachPosts(
      client,
      posts.map((p) => ({ postId: p.id, conversationId: conversationOf.get(p.id)! })),
    );

    const names = await ruleNames(
      client,
      taken.flatMap((t) => (t.ruleId ? [t.ruleId] : [])),
    );
    const states = new Map([...decided.created, ...decided.updated].map((c) => [c.id, c.state]));
    const opened = new Set(decided.created.map((c) => c.id));
    const results: RestoredPost[] = posts.map((p) => {
      const conversationId = conversationOf.get(p.id)!;
      const state = states.get(conversationId)!;
      return {
        postId: p.id,
        conversationId,
        conversation: opened.has(conversationId) ? 'opened' : 'joined',
        queue: state.queue,
        intent: intents.get(p.id)!,
        assigneeId: state.assigneeId,
      };
    });
    // One multi-row insert per table: the transaction holds the assignment lock, which drains wait on.
    const audits: (typeof schema.auditLog.$inferInsert)[] = [];
    const labels: (typeof schema.labelCorrections.$inferInsert)[] = [];
    for (const r of results) {
      const p = posts.find((x) => x.id === r.postId)!;
      const t = taken.find((x) => x.postId === r.postId)!;
      const detail = {
        via: actor.via,
        conversationId: r.conversationId,
        queue,
        intent: r.intent,
        previousIntent: p.intent,
        reason: t.reason,
        ruleId: t.ruleId,
        ruleName: t.ruleId ? (names.get(t.ruleId) ?? null) : null,
        arrivedAt: p.receivedAt,
        ignoredAt: t.ignoredAt,
      };
      events.push({ type: 'restored', at, actorId: actor.id ?? 'cli', postId: p.id, ...detail });
      audits.push({
        actorId: actor.id,
        action: 'ignored_post.restore',
        subjectType: 'post',
        subjectId: p.id,
        detail,
      });
      // Training data, as an agent's intent correction in the workspace records it — only an intent a
      // person chose (the queue's usual intent, taken when none was given, teaches the model nothing).
      if (req.intent !== undefined && p.intent !== r.intent) {
        labels.push({
          postId: p.id,
          conversationId: r.conversationId,
          task: 'intent',
          previous: p.intent,
          label: r.intent,
          text: p.text,
          correctedBy: actor.id,
        });
      }
    }
    await tx.insert(schema.auditLog).values(audits);
    if (labels.length > 0) await tx.insert(schema.labelCorrections).values(labels);
    await insertEvents(client, events);
    await scheduleSla(client, schedule);
    await client.query('select pg_notify($1, $2)', [
      BUS_CHANNEL,
      batchNotice({
        ...emptyResult(),
        created: decided.created.map((c) => c.id),
        updated: decided.updated.map((u) => u.id),
        assigned,
      }),
    ]);
    await client.query('commit');
    return results;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
