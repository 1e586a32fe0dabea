/**
 * Assignment stage: new conversations of a batch go to agents through src/domain/assignment.ts
 * (round robin or least loaded within the team, online, capacity, language/channel skills).
 * Teams: every agent serves the queue(s) of their role (agent/trainee/supervisor → support,
 * supervisor also moderation, marketing → marketing) plus their own `users.team`. A routing rule
 * with a team sends the conversation to that team; otherwise the queue name is the team.
 * Under a transaction-scoped advisory lock so two workers never overfill one agent.
 */
import {
  type AgentAvailability,
  ASSIGNABLE_ROLES,
  type AssignmentStrategy,
  chooseAgent,
  teamsOf,
} from '../domain/assignment.ts';
import { type ConversationEvent, type ConversationState, decide } from '../domain/conversation.ts';
import { type Role, SYSTEM_ACTOR } from '../domain/roles.ts';
import type { ChannelKind } from '../domain/types.ts';
import type { Queryable } from './intake.ts';

export const ASSIGNMENT_LOCK = 7_342_200;

export interface Assignable {
  state: ConversationState;
  language: string | null;
  channelKind: ChannelKind;
  priorityScore: number;
  at: string;
}

interface AgentRow {
  id: string;
  role: Role;
  team: string | null;
  capacity: number;
  skills: { languages?: string[]; channels?: string[] } | null;
  load: number;
}

/** Online agents with their current load (open conversations assigned to them). */
export async function availableAgents(q: Queryable): Promise<AgentAvailability[]> {
  const r = await q.query<AgentRow>(
    `select u.id, u.role, u.team, u.capacity, u.skills,
            (select count(*) from conversations c
              where c.assignee_id = u.id and c.status in ('new', 'open', 'waiting_on_customer'))::int as load
       from users u
      where u.online and u.disabled_at is null and u.capacity > 0
        and u.role = any($1::text[])`,
    [ASSIGNABLE_ROLES],
  );
  return r.rows.map((a) => ({
    id: a.id,
    teams: teamsOf(a.role, a.team),
    online: true,
    capacity: a.capacity,
    load: a.load,
    languages: a.skills?.languages ?? [],
    channelKinds: (a.skills?.channels ?? []) as ChannelKind[],
  }));
}

export interface AssignmentOutcome {
  events: ConversationEvent[];
  assigned: { conversationId: string; agentId: string }[];
}

export const hasRoom = (agents: readonly AgentAvailability[]) => agents.some((a) => a.load < a.capacity);

/**
 * Takes the transaction-scoped assignment lock and reads the agents under it. Everything that assigns
 * automatically (pipeline batches, backlog runs) holds this lock until commit.
 */
export async function lockAssignment(q: Queryable): Promise<AgentAvailability[]> {
  await q.query('select pg_advisory_xact_lock($1)', [ASSIGNMENT_LOCK]);
  return availableAgents(q);
}

/**
 * Assigns in place (highest priority first); returns the events to record. Agents' loads and the
 * round-robin pointers are read under the lock and the pointers written back.
 */
export async function assignConversations(
  q: Queryable,
  items: Assignable[],
  strategy: AssignmentStrategy,
): Promise<AssignmentOutcome> {
  if (items.length === 0) return { events: [], assigned: [] };
  // Cheap look without the lock first: most batches at volume find nobody with spare capacity.
  if (!hasRoom(await availableAgents(q))) return { events: [], assigned: [] };
  return assignLocked(q, items, strategy, await lockAssignment(q));
}

/**
 * The assignment itself, for a caller holding the lock (lockAssignment) with the agents it read.
 * Stable sort: items of equal priority keep the caller's order (the backlog passes oldest first).
 */
export async function assignLocked(
  q: Queryable,
  items: Assignable[],
  strategy: AssignmentStrategy,
  lockedAgents: AgentAvailability[],
): Promise<AssignmentOutcome> {
  const events: ConversationEvent[] = [];
  const assigned: { conversationId: string; agentId: string }[] = [];
  let agents = lockedAgents;
  const pointers = new Map<string, string | null>(
    (
      await q.query<{ team: string; last_agent_id: string | null }>(
        'select team, last_agent_id from assignment_pointers',
      )
    ).rows.map((r) => [r.team, r.last_agent_id]),
  );
  const touched = new Set<string>();
  const byId = new Map(agents.map((a) => [a.id, a]));
  for (const item of [...items].sort((a, b) => b.priorityScore - a.priorityScore)) {
    const team = item.state.team ?? item.state.queue;
    const result = chooseAgent({
      strategy,
      team,
      agents,
      language: item.language,
      channelKind: item.channelKind,
      pointer: pointers.get(team) ?? null,
    });
    if (!result.agentId) continue;
    const agent = byId.get(result.agentId)!;
    agents = agents.map((a) => (a.id === agent.id ? { ...a, load: a.load + 1 } : a));
    byId.set(agent.id, { ...agent, load: agent.load + 1 });
    pointers.set(team, result.pointer);
    touched.add(team);
    const d = decide(
      item.state,
      { type: 'assign', assigneeId: result.agentId },
      { actor: SYSTEM_ACTOR, at: item.at },
    );
    item.state = d.state;
    events.push(...d.events);
    assigned.push({ conversationId: item.state.id, agentId: result.agentId });
  }
  if (touched.size > 0) {
    const teams = [...touched].sort();
    await q.query(
      `insert into assignment_pointers (team, last_agent_id) select * from unnest($1::text[], $2::uuid[])
       on conflict (team) do update set last_agent_id = excluded.last_agent_id, updated_at = now()`,
      [teams, teams.map((t) => pointers.get(t) ?? null)],
    );
  }
  return { events, assigned };
}
