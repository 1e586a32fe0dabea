import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Audit } from './conversation-parts.tsx';
import { conversationHref, slaEventText, slaNoticeText } from './sla-notices.ts';

const n = {
  conversationId: '0b7c2a4e-1111-4222-8333-944455556666',
  clock: 'first_response',
  dueAt: '2026-11-24T10:42:00.000Z',
};

describe('SLA notices', () => {
  it('reads as the agent would say it', () => {
    expect(slaNoticeText({ ...n, kind: 'escalation' })).toBe(
      'SLA escalation: first response due 2026-11-24 10:42 UTC',
    );
    expect(slaNoticeText({ ...n, kind: 'warning', clock: 'next_response' })).toBe(
      'SLA warning: next response due 2026-11-24 10:42 UTC',
    );
    expect(slaNoticeText({ ...n, kind: 'breach', clock: 'resolution' })).toBe(
      'SLA breached: resolution was due 2026-11-24 10:42 UTC',
    );
    expect(slaNoticeText({ ...n, kind: 'breach', dueAt: null })).toBe('SLA breached: first response');
  });

  it('links to the conversation page', () => {
    expect(conversationHref(n)).toBe(`/app/conversations/${n.conversationId}`);
  });

  it('the audit trail reads SLA events as sentences, other events as before', () => {
    const data = {
      clock: 'first_response',
      dueAt: n.dueAt,
      cycle: 0,
      escalateTo: 'supervisor',
      queue: 'support',
    };
    expect(slaEventText('sla_escalated', data)).toBe(
      'SLA escalation to a supervisor: first response due 2026-11-24 10:42 UTC',
    );
    expect(slaEventText('sla_warning', { clock: 'resolution', dueAt: n.dueAt })).toBe(
      'SLA warning: resolution due 2026-11-24 10:42 UTC',
    );
    expect(slaEventText('assigned', {})).toBeNull();
    const html = renderToString(
      <Audit
        events={[
          { type: 'sla_breached', at: n.dueAt, actorName: 'Earshot', data },
          { type: 'status_changed', at: n.dueAt, actorName: 'Ann', data: {} },
        ]}
      />,
    );
    expect(html).toContain('SLA breached: first response was due 2026-11-24 10:42 UTC · Earshot');
    expect(html).toContain('status changed · Ann');
  });
});
