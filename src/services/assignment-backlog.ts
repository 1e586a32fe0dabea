/**
 * Backlog assignment: conversations that arrived while nobody was available (status new or open, no
 * assignee) go to agents with room by the pipeline's own rules (src/pipeline/assign.ts over
 * src/domain/assignment.ts), under the same advisory lock, so parallel runs and pipeline batches never
 * overfill an agent. Highest priority first, oldest first within a priority; bounded per run so the
 * lock is held briefly. Runs when an agent becomes available or gets more room
 * (src/services/availability.ts) and every minute (src/jobs/assign-backlog.ts).
 * Writes what the pipeline writes for an assignment: the `assigned` + `status_changed` events, and the
 * conversations' update (its trigger announces `conversations.changed` on the bus at commit).
 */
import type { Database } from '../db/client.ts';
import { type EventRecord, insertEvents } from '../db/repositories/conversations.ts';
import { teamsWithRoom } from '../domain/assignment.ts';
import type { ChannelKind } from '../domain/types.ts';
import {
  type Assignable,
  assignLocked,
  availableAgents,
  hasRoom,
  lockAssignment,
} from '../pipeline/assign.ts';
import { loadAssignmentStrategy } from '../pipeline/config.ts';
import { type StateColumns, stateOf } from './conversations.ts';

/** Most conversations one run assigns (the lock is held for one such batch). */
export const BACKLOG_BATCH = 500;

export type BacklogAssignment = { conversationId: string; agentId: string };

/** Where a run stopped in the backlog order (priority desc, arrival, id): the next run goes on after it. */
export interface BacklogCursor {
  priorityScore: number;
  /** Full precision (microseconds), as PostgreSQL prints it. */
  createdAt: string;
  id: string;
}

export interface BacklogRun {
  assigned: BacklogAssignment[];
  /** Waiting conversations looked at (some may need skills nobody available has). */
  examined: number;
  last: BacklogCursor | null;
}

type WaitingRow = StateColumns & {
  language: string | null;
  channelKind: string;
  priorityScore: number;
  arrivedAt: string;
};

export async function assignBacklog(
  database: Pick<Database, 'db' | 'pool'>,
  options: { limit?: number; now?: Date; after?: BacklogCursor | null } = {},
): Promise<BacklogRun> {
  const none: BacklogRun = { assigned: [], examined: 0, last: null };
  const after = options.after ?? null;
  const strategy = await loadAssignmentStrategy(database.db);
  const at = (options.now ?? new Date()).toISOString();
  const client = await database.pool.connect();
  try {
    await client.query('begin');
    // Cheap look first: usually nobody has room, and then the lock is not worth taking.
    if (!hasRoom(await availableAgents(client))) {
      await client.query('rollback');
      return none;
    }
    const agents = await lockAssignment(client);
    const teams = teamsWithRoom(agents);
    // Rows a pipeline batch or an agent is changing right now are skipped; a later run takes them.
    const waiting = await client.query<WaitingRow>(
      `select id, status, queue, team, assignee_id as "assigneeId", started_public as "startedPublic",
              started_as_public_complaint as "startedAsPublicComplaint", public_state as "publicState",
              state, created_at as "createdAt", updated_at as "updatedAt", resolved_at as "resolvedAt",
              language, channel_kind as "channelKind", priority_score as "priorityScore",
              created_at::text as "arrivedAt"
         from conversations
        where status in ('new', 'open') and assignee_id is null and coalesce(team, queue) = any($1::text[])
          and ($3::real is null or priority_score < $3::real
               or (priority_score = $3::real and (created_at, id) > ($4::timestamptz, $5::uuid)))
        order by priority_score desc, created_at, id
        limit $2
        for update skip locked`,
      [
        teams,
        options.limit ?? BACKLOG_BATCH,
        after?.priorityScore ?? null,
        after?.createdAt ?? null,
        after?.id ?? null,
      ],
    );
    const items: Assignable[] = waiting.rows.map((r) => ({
      state: stateOf(r),
      language: r.language,
      channelKind: r.channelKind as ChannelKind,
      priorityScore: r.priorityScore,
      at,
    }));
    const { events, assigned } = await assignLocked(client, items, strategy, agents);
    const changed = items.filter((i) => i.state.assigneeId !== null);
    if (changed.length > 0) {
      await client.query(
        `update conversations c
            set status = u.status, assignee_id = u.assignee, state = c.state || u.state,
                version = c.version + 1, updated_at = now()
           from unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[]) u(id, status, assignee, state)
          where c.id = u.id`,
        [
          changed.map((i) => i.state.id),
          changed.map((i) => i.state.status),
          changed.map((i) => i.state.assigneeId),
          changed.map((i) => JSON.stringify(i.state)),
        ],
      );
      await insertEvents(client, events as EventRecord[]);
      // A status change moves SLA clocks: the SLA timers job looks at these again on its next run.
      await client.query(
        `insert into sla_schedule (conversation_id, next_at) select unnest($1::uuid[]), now()
         on conflict (conversation_id) do update
           set next_at = least(sla_schedule.next_at, now()), updated_at = now()`,
        [changed.map((i) => i.state.id)],
      );
    }
    await client.query('commit');
    const end = waiting.rows.at(-1);
    return {
      assigned,
      examined: waiting.rows.length,
      last: end ? { priorityScore: end.priorityScore, createdAt: end.arrivedAt, id: end.id } : null,
    };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Goes through the backlog batch by batch (each its own short transaction) until it is all looked at or
 * nobody has room, so conversations needing skills nobody available has do not hold up the rest.
 */
export async function assignWholeBacklog(
  database: Pick<Database, 'db' | 'pool'>,
  options: { maxRounds?: number; batch?: number } = {},
): Promise<BacklogAssignment[]> {
  const batch = options.batch ?? BACKLOG_BATCH;
  const all: BacklogAssignment[] = [];
  let after: BacklogCursor | null = null;
  for (let round = 0; round < (options.maxRounds ?? 10); round++) {
    const run = await assignBacklog(database, { limit: batch, after });
    all.push(...run.assigned);
    if (run.examined < batch) break;
    after = run.last;
  }
  return all;
}
