import { describe, expect, it } from 'vitest';
import {
  MAX_DIGEST_LINES,
  type SlaMailAlert,
  type SlaMailRecipient,
  slaEscalationMails,
} from './sla-escalation-mail.ts';

const staff: SlaMailRecipient[] = [
  { id: 's-billing', email: 'Billing.Lead@example.com', role: 'supervisor', team: 'billing' },
  { id: 's-all', email: 'head@example.com', role: 'supervisor', team: null },
  { id: 's-shipping', email: 'ship@example.com', role: 'supervisor', team: 'shipping' },
  { id: 'a', email: 'admin@example.com', role: 'admin', team: null },
];

const alert = (over: Partial<SlaMailAlert>): SlaMailAlert => ({
  conversationId: 'c1',
  clock: 'first_response',
  kind: 'escalation',
  dueAt: '2026-11-24T10:42:00.000Z',
  queue: 'support',
  team: 'billing',
  ...over,
});

describe('SLA escalation e-mail', () => {
  it("goes to the team's supervisors and to supervisors of every team, one digest each", () => {
    const mails = slaEscalationMails(
      [alert({}), alert({ conversationId: 'c2', team: 'shipping', kind: 'breach' })],
      staff,
      'https://earshot.example.com/',
    );
    expect(mails.map((m) => m.to).sort()).toEqual([
      'billing.lead@example.com',
      'head@example.com',
      'ship@example.com',
    ]);
    const head = mails.find((m) => m.to === 'head@example.com')!;
    expect(head.subject).toBe('Earshot SLA: 2 conversations need a supervisor (1 breached)');
    // The breach first, each with its link.
    expect(
      head.text.indexOf(
        'BREACHED: first response was due 2026-11-24 10:42 UTC (support queue, team shipping)',
      ),
    ).toBeLessThan(
      head.text.indexOf('Escalated: first response due 2026-11-24 10:42 UTC (support queue, team billing)'),
    );
    expect(head.text).toContain('https://earshot.example.com/app/conversations/c1');
    expect(head.text).toContain('https://earshot.example.com/app/conversations/c2');
    const billing = mails.find((m) => m.to === 'billing.lead@example.com')!;
    expect(billing.subject).toBe('Earshot SLA: 1 conversation needs a supervisor');
    expect(billing.text).not.toContain('c2');
  });

  it('falls back to the admins when no supervisor covers the team', () => {
    const mails = slaEscalationMails(
      [alert({ team: 'vip' })],
      staff.slice(0, 1).concat(staff[3]!),
      'http://x',
    );
    expect(mails.map((m) => m.to)).toEqual(['admin@example.com']);
  });

  it('sends nothing for warnings, and one line per conversation clock at its gravest', () => {
    expect(slaEscalationMails([alert({ kind: 'warning' })], staff, 'http://x')).toEqual([]);
    const [mail] = slaEscalationMails(
      [alert({ kind: 'escalation' }), alert({ kind: 'breach' })],
      [staff[1]!],
      'http://x',
    );
    expect(mail!.text.match(/app\/conversations\/c1/g)).toHaveLength(1);
    expect(mail!.text).toContain('BREACHED');
  });

  it('lists at most MAX_DIGEST_LINES conversations and counts the rest', () => {
    const many = Array.from({ length: MAX_DIGEST_LINES + 7 }, (_, i) => alert({ conversationId: `c${i}` }));
    const [mail] = slaEscalationMails(many, [staff[1]!], 'http://x');
    expect(mail!.text.match(/app\/conversations\//g)).toHaveLength(MAX_DIGEST_LINES);
    expect(mail!.text).toContain('… and 7 more: http://x/app?view=breaching');
  });
});
