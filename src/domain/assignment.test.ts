import { describe, expect, it } from 'vitest';
import {
  type AgentAvailability,
  type AssignmentRequest,
  chooseAgent,
  takesConversations,
  teamsOf,
  teamsWithRoom,
  validateAgentSettings,
} from './assignment.ts';

const agent = (id: string, over: Partial<AgentAvailability> = {}): AgentAvailability => ({
  id,
  teams: ['t1'],
  online: true,
  capacity: 5,
  load: 0,
  ...over,
});
const req = (agents: AgentAvailability[], over: Partial<AssignmentRequest> = {}): AssignmentRequest => ({
  strategy: 'round_robin',
  team: 't1',
  agents,
  pointer: null,
  ...over,
});

describe('round robin', () => {
  it('cycles through agents in id order, wrapping, with the pointer as state', () => {
    const agents = [agent('c'), agent('a'), agent('b')];
    let pointer: string | null = null;
    const picks: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const r = chooseAgent(req(agents, { pointer }));
      picks.push(r.agentId);
      pointer = r.pointer;
    }
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('skips unavailable agents and survives a pointer to an agent who left', () => {
    const agents = [agent('a'), agent('b', { online: false }), agent('d', { load: 5 }), agent('e')];
    expect(chooseAgent(req(agents, { pointer: 'a' })).agentId).toBe('e');
    expect(chooseAgent(req(agents, { pointer: 'c' })).agentId).toBe('e');
    expect(chooseAgent(req(agents, { pointer: 'z' })).agentId).toBe('a');
  });
});

describe('least loaded', () => {
  it('takes the agent with the fewest open conversations, then lower utilisation, then rotation', () => {
    const agents = [
      agent('a', { load: 3 }),
      agent('b', { load: 1, capacity: 2 }),
      agent('c', { load: 1, capacity: 10 }),
    ];
    expect(chooseAgent(req(agents, { strategy: 'least_loaded' })).agentId).toBe('c');
    const tied = [agent('a', { load: 1 }), agent('b', { load: 1 })];
    expect(chooseAgent(req(tied, { strategy: 'least_loaded', pointer: 'a' })).agentId).toBe('b');
    expect(chooseAgent(req(tied, { strategy: 'least_loaded', pointer: 'b' })).agentId).toBe('a');
  });
});

describe('filters and reasons', () => {
  it('explains why nobody was assigned, in order of the filters', () => {
    expect(chooseAgent(req([agent('a', { teams: ['t2'] })]))).toEqual({
      agentId: null,
      reason: 'no_agents_in_team',
      pointer: null,
    });
    expect(chooseAgent(req([agent('a', { online: false })])).reason).toBe('no_agent_online');
    expect(chooseAgent(req([agent('a', { languages: ['de'] })], { language: 'fr' })).reason).toBe(
      'no_agent_with_skills',
    );
    expect(chooseAgent(req([agent('a', { channelKinds: ['email'] })], { channelKind: 'x' })).reason).toBe(
      'no_agent_with_skills',
    );
    expect(chooseAgent(req([agent('a', { load: 5 })])).reason).toBe('all_at_capacity');
    expect(chooseAgent(req([agent('a', { capacity: 0 })])).reason).toBe('all_at_capacity');
    expect(chooseAgent(req([], { pointer: 'x' })).pointer).toBe('x');
  });

  it('matches languages by primary tag both ways and treats missing skills as any', () => {
    expect(chooseAgent(req([agent('a', { languages: ['en'] })], { language: 'en-GB' })).agentId).toBe('a');
    expect(chooseAgent(req([agent('a', { languages: ['en-GB'] })], { language: 'en' })).agentId).toBe('a');
    expect(chooseAgent(req([agent('a', { languages: [] })], { language: 'ja' })).agentId).toBe('a');
    expect(chooseAgent(req([agent('a', { languages: ['de'] })], { language: null })).agentId).toBe('a');
    const mixed = [
      agent('a', { languages: ['de'] }),
      agent('b', { languages: ['en'], channelKinds: ['x', 'email'] }),
    ];
    expect(chooseAgent(req(mixed, { language: 'en', channelKind: 'email' })).agentId).toBe('b');
  });
});

describe('who takes conversations, and agent settings', () => {
  it('roles that take conversations serve their queues plus their own team', () => {
    expect(['agent', 'trainee', 'supervisor', 'marketing'].every((r) => takesConversations(r as never))).toBe(
      true,
    );
    expect(
      ['admin', 'moderator', 'member', 'guest', 'system'].some((r) => takesConversations(r as never)),
    ).toBe(false);
    expect(teamsOf('supervisor', 'vip')).toEqual(['support', 'moderation', 'vip']);
    expect(teamsOf('marketing', null)).toEqual(['marketing']);
  });

  it('teams with room: only available agents below capacity count', () => {
    const agents = [
      agent('a', { teams: ['support', 'vip'], load: 5 }),
      agent('b', { teams: ['marketing'], online: false }),
      agent('c', { teams: ['support', 'dach'], load: 1 }),
      agent('d', { teams: ['zero'], capacity: 0 }),
    ];
    expect(teamsWithRoom(agents)).toEqual(['dach', 'support']);
  });

  it('validates and normalises settings', () => {
    expect(
      validateAgentSettings({
        capacity: 0,
        skills: { languages: [' EN ', 'en', 'pt-BR'], channels: ['x', 'x'] },
        team: ' ',
      }),
    ).toEqual({ capacity: 0, skills: { languages: ['en', 'pt-br'], channels: ['x'] }, team: null });
    expect(validateAgentSettings({ team: 'DACH' })).toEqual({ team: 'DACH' });
    const code = (input: object) => {
      try {
        validateAgentSettings(input);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code({ capacity: -1 })).toBe('invalid_capacity');
    expect(code({ capacity: 1.5 })).toBe('invalid_capacity');
    expect(code({ capacity: 201 })).toBe('invalid_capacity');
    expect(code({ skills: { languages: ['english'] } })).toBe('invalid_language');
    expect(code({ skills: { channels: ['myspace'] } })).toBe('invalid_channel_kind');
    expect(code({ team: 'x'.repeat(101) })).toBe('invalid_team');
  });
});
