/**
 * Assignment within a team: round robin or least loaded, over agents who are in the team,
 * online, have the skills (languages, channel kinds) and spare capacity. Returns an agent id
 * or null (the conversation stays unassigned in its queue) with the reason. The round-robin
 * pointer (last agent assigned) is input and output, so the caller stores it.
 */
import { InvalidError } from './errors.ts';
import type { Role } from './roles.ts';
import { CHANNEL_KINDS, type ChannelKind, languageMatches } from './types.ts';

/**
 * Queues each role serves: the roles that take conversations. Every agent also serves their own team.
 */
const ROLE_QUEUES: Partial<Record<Role, readonly string[]>> = {
  agent: ['support'],
  trainee: ['support'],
  supervisor: ['support', 'moderation'],
  marketing: ['marketing'],
};

/** Roles that receive conversations and mark themselves available or away. */
export const ASSIGNABLE_ROLES = Object.keys(ROLE_QUEUES) as Role[];

export function takesConversations(role: Role | 'system'): boolean {
  return role !== 'system' && ROLE_QUEUES[role] !== undefined;
}

/** Teams an agent serves: the queue(s) of their role plus their own team. */
export function teamsOf(role: Role, team: string | null): string[] {
  return [...(ROLE_QUEUES[role] ?? []), ...(team ? [team] : [])];
}

export interface AgentAvailability {
  id: string;
  teams: readonly string[];
  online: boolean;
  /** Most open conversations this agent takes at once; 0 means none. */
  capacity: number;
  /** Open conversations currently assigned. */
  load: number;
  /** Languages the agent handles; empty or missing = any. */
  languages?: readonly string[];
  /** Channel kinds the agent handles; empty or missing = any. */
  channelKinds?: readonly ChannelKind[];
}

export type AssignmentStrategy = 'round_robin' | 'least_loaded';

export interface AssignmentRequest {
  strategy: AssignmentStrategy;
  team: string;
  agents: readonly AgentAvailability[];
  language?: string | null;
  channelKind?: ChannelKind;
  /** Id of the agent assigned last in this team (round robin resumes after it). */
  pointer: string | null;
}

export type AssignmentReason =
  | 'assigned'
  | 'no_agents_in_team'
  | 'no_agent_online'
  | 'no_agent_with_skills'
  | 'all_at_capacity';

export interface AssignmentResult {
  agentId: string | null;
  reason: AssignmentReason;
  /** New pointer to store (unchanged when nobody was assigned). */
  pointer: string | null;
}

function hasSkills(agent: AgentAvailability, req: AssignmentRequest): boolean {
  if (req.language && agent.languages && agent.languages.length > 0) {
    const lang = req.language;
    if (!agent.languages.some((l) => languageMatches(l, lang) || languageMatches(lang, l))) return false;
  }
  if (req.channelKind && agent.channelKinds && agent.channelKinds.length > 0) {
    if (!agent.channelKinds.includes(req.channelKind)) return false;
  }
  return true;
}

/** Agents in id order, rotated so the one after `pointer` comes first. */
function rotation(agents: AgentAvailability[], pointer: string | null): AgentAvailability[] {
  const sorted = [...agents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (pointer === null) return sorted;
  const after = sorted.findIndex((a) => a.id > pointer);
  return after <= 0 ? sorted : [...sorted.slice(after), ...sorted.slice(0, after)];
}

export function chooseAgent(req: AssignmentRequest): AssignmentResult {
  const none = (reason: AssignmentReason): AssignmentResult => ({
    agentId: null,
    reason,
    pointer: req.pointer,
  });
  const inTeam = req.agents.filter((a) => a.teams.includes(req.team));
  if (inTeam.length === 0) return none('no_agents_in_team');
  const online = inTeam.filter((a) => a.online);
  if (online.length === 0) return none('no_agent_online');
  const skilled = online.filter((a) => hasSkills(a, req));
  if (skilled.length === 0) return none('no_agent_with_skills');
  const free = skilled.filter((a) => a.capacity > 0 && a.load < a.capacity);
  if (free.length === 0) return none('all_at_capacity');

  const ordered = rotation(free, req.pointer);
  let chosen = ordered[0]!;
  if (req.strategy === 'least_loaded') {
    // Fewest open conversations, then lowest utilisation, then rotation order for fairness.
    for (const a of ordered) {
      if (
        a.load < chosen.load ||
        (a.load === chosen.load && a.load / a.capacity < chosen.load / chosen.capacity)
      ) {
        chosen = a;
      }
    }
  }
  return { agentId: chosen.id, reason: 'assigned', pointer: chosen.id };
}

/** Teams in which at least one available agent has room: where waiting conversations can go. */
export function teamsWithRoom(agents: readonly AgentAvailability[]): string[] {
  const teams = new Set<string>();
  for (const a of agents) {
    if (a.online && a.capacity > 0 && a.load < a.capacity) for (const t of a.teams) teams.add(t);
  }
  return [...teams].sort();
}

/** An agent's assignment settings, as an administrator sets them. */
export interface AgentSettings {
  capacity?: number;
  skills?: { languages?: string[]; channels?: ChannelKind[] };
  team?: string | null;
}

export const MAX_CAPACITY = 200;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/** Normalises and checks settings (language tags lower-cased and deduplicated); throws InvalidError. */
export function validateAgentSettings(input: AgentSettings): AgentSettings {
  const out: AgentSettings = {};
  if (input.capacity !== undefined) {
    if (!Number.isInteger(input.capacity) || input.capacity < 0 || input.capacity > MAX_CAPACITY) {
      throw new InvalidError(
        'invalid_capacity',
        `Capacity must be a whole number from 0 to ${MAX_CAPACITY}.`,
      );
    }
    out.capacity = input.capacity;
  }
  if (input.skills !== undefined) {
    const languages = [...new Set((input.skills.languages ?? []).map((l) => l.trim().toLowerCase()))];
    const bad = languages.find((l) => !LANGUAGE_TAG.test(l));
    if (bad !== undefined)
      throw new InvalidError('invalid_language', `"${bad}" is not a language tag such as en or pt-br.`);
    const channels = [...new Set(input.skills.channels ?? [])];
    const badKind = channels.find((c) => !(CHANNEL_KINDS as readonly string[]).includes(c));
    if (badKind !== undefined) {
      throw new InvalidError(
        'invalid_channel_kind',
        `Channel kind must be one of ${CHANNEL_KINDS.join(', ')}.`,
      );
    }
    out.skills = { languages, channels };
  }
  if (input.team !== undefined) {
    // Matched exactly against routing rules' teams (which allow up to 100 characters).
    const team = input.team === null ? null : input.team.trim() || null;
    if (team !== null && (team.length > 100 || /\p{Cc}/u.test(team))) {
      throw new InvalidError('invalid_team', 'Team: up to 100 characters, as in the routing rules.');
    }
    out.team = team;
  }
  return out;
}
