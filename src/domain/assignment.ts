/**
 * Assignment within a team: round robin or least loaded, over agents who are in the team,
 * online, have the skills (languages, channel kinds) and spare capacity. Returns an agent id
 * or null (the conversation stays unassigned in its queue) with the reason. The round-robin
 * pointer (last agent assigned) is input and output, so the caller stores it.
 */
import { type ChannelKind, languageMatches } from './types.ts';

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
