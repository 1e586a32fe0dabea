import { describe, expect, it } from 'vitest';
import { conversationHref, slaNoticeText } from './sla-notices.ts';

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
});
