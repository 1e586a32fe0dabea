/**
 * Incremental analytics rollup: recompute the fact row of every conversation touched since the
 * watermark (updated, new event, new post) or still active with a stale row (SLA clocks keep
 * running without events), then rebuild the daily rollup of the affected days.
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { SlaPolicy } from '../../domain/sla.ts';
import {
  type ConversationFact,
  computeConversationFact,
  type FactEvent,
  type FactPost,
} from '../../services/analytics-facts.ts';
import type { Db } from '../client.ts';
import {
  analyticsConversationFacts,
  analyticsRollupState,
  conversationEvents,
  conversations,
  posts,
  slaPolicies,
} from '../schema/index.ts';
import { DAILY_COLUMNS } from './analytics-summary.ts';

const STATE = 'facts';
/** Re-read this far behind the watermark: transactions that committed late still get picked up. */
const OVERLAP_MS = 2 * 60_000;
/** Active conversations are re-evaluated at least this often (running SLA clocks, digital silence). */
const ACTIVE_REFRESH = '15 minutes';

export const EVENT_TYPES = [
  'conversation_opened',
  'status_changed',
  'assigned',
  'customer_messaged',
  'reply_recorded',
  'public_state_changed',
  'taken_private',
  'reopened',
  'resolution_notice_waived',
  'no_response_needed',
  'handed_off',
  // pipeline (src/pipeline/thread-route.ts) and SLA timers (src/jobs/sla-timers.ts)
  'routed',
  'sla_warning',
  'sla_escalated',
  'sla_breached',
];

export interface RollupResult {
  conversations: number;
  days: number;
  watermark: string;
}

async function changedConversationIds(db: Db, since: Date, now: Date): Promise<string[]> {
  const res = await db.execute<{ id: string }>(sql`
    select id from conversations where updated_at > ${since.toISOString()}::timestamptz
    union
    select conversation_id from conversation_events
      where type = any(${sql.raw(`array[${EVENT_TYPES.map((t) => `'${t}'`).join(',')}]`)}) and at > ${since.toISOString()}::timestamptz
    union
    select conversation_id from posts where received_at > ${since.toISOString()}::timestamptz and conversation_id is not null
    union
    select f.conversation_id from analytics_conversation_facts f
      where f.status not in ('resolved', 'closed')
        and f.refreshed_at < ${now.toISOString()}::timestamptz - interval '${sql.raw(ACTIVE_REFRESH)}'`);
  return res.rows.map((r) => r.id);
}

export async function loadSlaPolicies(db: Db): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies).orderBy(asc(slaPolicies.position));
  return rows.map((r) => ({ ...(r.policy as SlaPolicy), id: r.id, name: r.name }));
}

/** Facts for a batch of conversations (exported for tests and the bench). */
export async function computeFacts(
  db: Db,
  ids: readonly string[],
  policies: readonly SlaPolicy[],
  now: Date,
): Promise<ConversationFact[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  // Sequential: inside the rollup transaction all queries share one connection.
  const convs = await db.select().from(conversations).where(inArray(conversations.id, list));
  const evs = await db
    .select({
      conversationId: conversationEvents.conversationId,
      type: conversationEvents.type,
      at: conversationEvents.at,
      actorId: conversationEvents.actorId,
      data: conversationEvents.data,
    })
    .from(conversationEvents)
    .where(inArray(conversationEvents.conversationId, list));
  const ps = await db
    .select({
      conversationId: posts.conversationId,
      direction: posts.direction,
      postedAt: posts.postedAt,
      sentiment: posts.sentiment,
    })
    .from(posts)
    .where(inArray(posts.conversationId, list));
  const eventsBy = new Map<string, FactEvent[]>();
  for (const e of evs) {
    const arr = eventsBy.get(e.conversationId) ?? [];
    arr.push({ ...e, data: (e.data ?? {}) as Record<string, unknown> });
    eventsBy.set(e.conversationId, arr);
  }
  const postsBy = new Map<string, FactPost[]>();
  for (const p of ps) {
    if (!p.conversationId) continue;
    const arr = postsBy.get(p.conversationId) ?? [];
    arr.push(p);
    postsBy.set(p.conversationId, arr);
  }
  return convs.map((c) =>
    computeConversationFact(c, eventsBy.get(c.id) ?? [], postsBy.get(c.id) ?? [], policies, now),
  );
}

export async function upsertFacts(db: Db, facts: readonly ConversationFact[], now: Date): Promise<void> {
  if (facts.length === 0) return;
  const rows = facts.map((f) => ({ ...f, refreshedAt: now }));
  const cols = Object.keys(rows[0]!).filter((k) => k !== 'conversationId') as Array<
    keyof (typeof rows)[number]
  >;
  const set = Object.fromEntries(
    cols.map((k) => {
      const col = analyticsConversationFacts[k as keyof typeof analyticsConversationFacts.$inferInsert];
      return [k, sql.raw(`excluded."${(col as { name: string }).name}"`)];
    }),
  );
  await db
    .insert(analyticsConversationFacts)
    .values(rows)
    .onConflictDoUpdate({ target: analyticsConversationFacts.conversationId, set });
}

/** Rebuild analytics_daily rows for the given UTC days ('YYYY-MM-DD') from the facts. */
export async function refreshDaily(db: Db, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  const sortedDays = [...days].sort();
  const min = sortedDays[0]!;
  const max = sortedDays.at(-1)!;
  const arr = sql`${`{${sortedDays.join(',')}}`}::date[]`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from analytics_daily where day = any(${arr})`);
    const cols = DAILY_COLUMNS.map(([c]) => c).join(', ');
    const exprs = DAILY_COLUMNS.map(([, e]) => e).join(', ');
    await tx.execute(sql`
      insert into analytics_daily (day, channel_kind, queue, team, intent, ${sql.raw(cols)})
      select (f.created_at at time zone 'UTC')::date as d, f.channel_kind, f.queue, coalesce(f.team, ''), f.intent,
        ${sql.raw(exprs)}
      from analytics_conversation_facts f
      where f.created_at >= ${min}::date::timestamp at time zone 'UTC'
        and f.created_at < (${max}::date + 1)::timestamp at time zone 'UTC'
        and (f.created_at at time zone 'UTC')::date = any(${arr})
      group by 1, 2, 3, 4, 5`);
  });
}

export async function runAnalyticsRollupOnce(
  db: Db,
  options: { now?: Date; rebuild?: boolean; batchSize?: number } = {},
): Promise<RollupResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const [state] = await db.select().from(analyticsRollupState).where(eq(analyticsRollupState.name, STATE));
  const since = options.rebuild || !state ? new Date(0) : new Date(state.watermark.getTime() - OVERLAP_MS);
  const ids = await changedConversationIds(db, since, now);
  const policies = await loadSlaPolicies(db);
  const days = new Set<string>();
  for (let i = 0; i < ids.length; i += batchSize) {
    const facts = await computeFacts(db, ids.slice(i, i + batchSize), policies, now);
    await upsertFacts(db, facts, now);
    for (const f of facts) days.add(f.createdAt.toISOString().slice(0, 10));
  }
  await refreshDaily(db, [...days]);
  await db
    .insert(analyticsRollupState)
    .values({ name: STATE, watermark: now, lastRunAt: now, lastRunRows: ids.length, generation: 1 })
    .onConflictDoUpdate({
      target: analyticsRollupState.name,
      set: {
        watermark: now,
        lastRunAt: now,
        lastRunRows: ids.length,
        // Facts changed: cached report parts of earlier generations are stale.
        generation:
          ids.length > 0 ? sql`${analyticsRollupState.generation} + 1` : analyticsRollupState.generation,
      },
    });
  return { conversations: ids.length, days: days.size, watermark: now.toISOString() };
}

export async function lastRollupAt(db: Db): Promise<Date | null> {
  return (await rollupState(db)).lastRunAt;
}

/** When the rollup last ran, and the generation of the facts it left (0 before the first run). */
export async function rollupState(db: Db): Promise<{ lastRunAt: Date | null; generation: number }> {
  const [state] = await db
    .select({ lastRunAt: analyticsRollupState.lastRunAt, generation: analyticsRollupState.generation })
    .from(analyticsRollupState)
    .where(eq(analyticsRollupState.name, STATE));
  return { lastRunAt: state?.lastRunAt ?? null, generation: state?.generation ?? 0 };
}
