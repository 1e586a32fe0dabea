import { describe, expect, it } from 'vitest';
import type { SlaAlert } from '../../jobs/sla-timers.ts';
import { slaNoticesFor } from './sla-alerts.ts';

const ALL = new Set(['support', 'marketing', 'moderation']);
const SUPPORT = new Set(['support']);

function alert(kind: SlaAlert['kind'], over: Partial<SlaAlert> = {}): SlaAlert {
  return {
    conversationId: `c-${kind}`,
    clock: 'first_response',
    kind,
    dueAt: '2026-11-24T10:42:00.000Z',
    queue: 'support',
    team: 'tier1',
    assigneeId: 'agent-1',
    ...over,
  };
}
const event = (...alerts: SlaAlert[]) => ({ topic: 'sla.alert', alerts });
const kinds = (n: { kind: string }[]) => n.map((x) => x.kind);

describe('slaNoticesFor', () => {
  const all = event(alert('warning'), alert('escalation'), alert('breach'));

  it('gives supervisors and admins escalations and breaches, not warnings', () => {
    expect(kinds(slaNoticesFor(all, { id: 'sup', role: 'supervisor', visible: ALL }))).toEqual([
      'escalation',
      'breach',
    ]);
    expect(kinds(slaNoticesFor(all, { id: 'adm', role: 'admin', visible: ALL }))).toEqual([
      'escalation',
      'breach',
    ]);
  });

  it('gives the assigned agent warnings and breaches; other agents nothing', () => {
    expect(kinds(slaNoticesFor(all, { id: 'agent-1', role: 'agent', visible: SUPPORT }))).toEqual([
      'warning',
      'breach',
    ]);
    expect(slaNoticesFor(all, { id: 'agent-2', role: 'agent', visible: SUPPORT })).toEqual([]);
    const unassigned = event(alert('warning', { assigneeId: null }), alert('breach', { assigneeId: null }));
    expect(slaNoticesFor(unassigned, { id: 'agent-1', role: 'agent', visible: SUPPORT })).toEqual([]);
  });

  it('a supervisor who is also the assignee hears of all three', () => {
    const own = event(
      alert('warning', { assigneeId: 'sup' }),
      alert('escalation', { assigneeId: 'sup' }),
      alert('breach', { assigneeId: 'sup' }),
    );
    expect(kinds(slaNoticesFor(own, { id: 'sup', role: 'supervisor', visible: ALL }))).toEqual([
      'warning',
      'escalation',
      'breach',
    ]);
  });

  it('never tells anyone of a conversation in a queue they cannot see, assignee or not', () => {
    const marketing = event(
      alert('escalation', { queue: 'marketing' }),
      alert('breach', { queue: 'marketing' }),
    );
    expect(slaNoticesFor(marketing, { id: 'agent-1', role: 'agent', visible: SUPPORT })).toEqual([]);
    expect(slaNoticesFor(all, { id: 'mk', role: 'marketing', visible: new Set(['marketing']) })).toEqual([]);
  });

  it('sends ids, clock, kind and due time only: no queue, team or assignee', () => {
    const [n] = slaNoticesFor(event(alert('escalation')), { id: 'sup', role: 'supervisor', visible: ALL });
    expect(n).toEqual({
      conversationId: 'c-escalation',
      clock: 'first_response',
      kind: 'escalation',
      dueAt: '2026-11-24T10:42:00.000Z',
    });
  });

  it('ignores malformed payloads', () => {
    const who = { id: 'sup', role: 'supervisor' as const, visible: ALL };
    expect(slaNoticesFor({ topic: 'sla.alert' }, who)).toEqual([]);
    expect(slaNoticesFor({ topic: 'sla.alert', alerts: 'x' }, who)).toEqual([]);
    expect(
      slaNoticesFor({ topic: 'sla.alert', alerts: [null, { kind: 'meltdown', queue: 'support' }] }, who),
    ).toEqual([]);
  });
});
