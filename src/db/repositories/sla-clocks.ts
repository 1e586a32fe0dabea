/**
 * SLA bookkeeping for the pipeline and the SLA timers job: the events that drive a conversation's
 * clocks (for replay through src/domain/sla.ts) and when each conversation must next be checked.
 */
import type { ConversationEvent } from '../../domain/conversation-events.ts';
import type { Queryable } from '../../pipeline/intake.ts';

/** Events that drive SLA clocks, oldest first, in the envelope the domain's mappers take. */
export async function slaEventHistory(
  q: Queryable,
  conversationIds: readonly string[],
): Promise<Map<string, ConversationEvent[]>> {
  const out = new Map<string, ConversationEvent[]>();
  if (conversationIds.length === 0) return out;
  const r = await q.query<{
    conversation_id: string;
    type: string;
    at: Date;
    actor_id: string | null;
    data: object;
  }>(
    // Of a run of customer messages with nothing between them only the first moves a clock (the others
    // find the clocks already running), so the rest are not read: a long thread costs its turns, not its posts.
    `select conversation_id, type, at, actor_id, data
       from (select conversation_id, type, at, actor_id, data,
                    lag(type) over (partition by conversation_id order by at, type) as previous
               from conversation_events
              where conversation_id = any($1::uuid[]) and type in ('customer_messaged', 'reply_recorded', 'status_changed')) e
      where not (type = 'customer_messaged' and previous is not distinct from 'customer_messaged')
      order by at, type`,
    [conversationIds],
  );
  for (const row of r.rows) {
    const list = out.get(row.conversation_id) ?? [];
    list.push({
      ...row.data,
      type: row.type,
      conversationId: row.conversation_id,
      at: row.at.toISOString(),
      actorId: row.actor_id ?? 'system',
    } as ConversationEvent);
    out.set(row.conversation_id, list);
  }
  return out;
}

/** Upserts (or clears, with nextAt null) when the SLA timers job must next look at each conversation. */
export async function scheduleSla(
  q: Queryable,
  rows: readonly { conversationId: string; policyId: string | null; nextAt: string | null }[],
): Promise<void> {
  const set = rows.filter((r) => r.nextAt !== null);
  const clear = rows.filter((r) => r.nextAt === null).map((r) => r.conversationId);
  if (set.length > 0) {
    await q.query(
      `insert into sla_schedule (conversation_id, policy_id, next_at)
       select * from unnest($1::uuid[], $2::text[], $3::timestamptz[])
       on conflict (conversation_id) do update set policy_id = excluded.policy_id, next_at = excluded.next_at,
                                                 updated_at = now()
       -- Most customer messages move no clock: then no row version (and no index entry) is written.
       where (sla_schedule.policy_id, sla_schedule.next_at) is distinct from (excluded.policy_id, excluded.next_at)`,
      [set.map((r) => r.conversationId), set.map((r) => r.policyId), set.map((r) => r.nextAt)],
    );
  }
  if (clear.length > 0)
    await q.query('delete from sla_schedule where conversation_id = any($1::uuid[])', [clear]);
}
