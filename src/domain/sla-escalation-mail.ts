/**
 * E-mail to supervisors about SLA escalations and breaches (sent by src/jobs/sla-timers.ts after the
 * round that raised them), so "escalation to a supervisor before breach" reaches one who is not looking
 * at the app. One digest per recipient per round: a surge sends each supervisor one e-mail, not one per
 * conversation. Recipients (among those who did not switch these e-mails off): the supervisors of the
 * conversation's team (a supervisor without a team supervises every team); when no supervisor matches,
 * the admins. Warnings are not e-mailed: they are for the assignee's screen.
 */

export interface SlaMailAlert {
  conversationId: string;
  clock: string;
  kind: 'warning' | 'escalation' | 'breach';
  dueAt: string | null;
  queue: string;
  team: string | null;
}

export interface SlaMailRecipient {
  id: string;
  email: string;
  role: 'supervisor' | 'admin';
  team: string | null;
}

export interface SlaMail {
  to: string;
  subject: string;
  text: string;
}

/** Lines listed in one digest; the rest are counted. */
export const MAX_DIGEST_LINES = 50;

const RANK = { warning: 0, escalation: 1, breach: 2 } as const;

/** "2026-11-24 10:42 UTC" */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function line(a: SlaMailAlert, baseUrl: string): string {
  const clock = a.clock.replaceAll('_', ' ');
  const what =
    a.kind === 'breach'
      ? `BREACHED: ${clock}${a.dueAt ? ` was due ${utc(a.dueAt)}` : ''}`
      : `Escalated: ${clock}${a.dueAt ? ` due ${utc(a.dueAt)}` : ''}`;
  const where = a.team ? `${a.queue} queue, team ${a.team}` : `${a.queue} queue`;
  return `- ${what} (${where})\n  ${baseUrl}/app/conversations/${encodeURIComponent(a.conversationId)}`;
}

function recipientsOf(a: SlaMailAlert, staff: readonly SlaMailRecipient[]): SlaMailRecipient[] {
  const supervisors = staff.filter((s) => s.role === 'supervisor' && (s.team === null || s.team === a.team));
  return supervisors.length > 0 ? supervisors : staff.filter((s) => s.role === 'admin');
}

/** The digests for one round's alerts; empty when none is an escalation or a breach. */
export function slaEscalationMails(
  alerts: readonly SlaMailAlert[],
  staff: readonly SlaMailRecipient[],
  baseUrl: string,
): SlaMail[] {
  // One line per conversation and clock, at its gravest kind (a late check raises both at once).
  const worst = new Map<string, SlaMailAlert>();
  for (const a of alerts) {
    if (a.kind === 'warning') continue;
    const key = `${a.conversationId}\u001f${a.clock}`;
    const seen = worst.get(key);
    if (!seen || RANK[a.kind] > RANK[seen.kind]) worst.set(key, a);
  }
  const byRecipient = new Map<string, SlaMailAlert[]>();
  for (const a of worst.values()) {
    for (const r of recipientsOf(a, staff)) {
      const to = r.email.trim().toLowerCase();
      byRecipient.set(to, [...(byRecipient.get(to) ?? []), a]);
    }
  }
  const base = baseUrl.replace(/\/+$/, '');
  return [...byRecipient].map(([to, list]) => {
    const breached = list.filter((a) => a.kind === 'breach').length;
    const conversations = new Set(list.map((a) => a.conversationId)).size;
    const subject =
      `Earshot SLA: ${conversations} conversation${conversations === 1 ? '' : 's'} need${conversations === 1 ? 's' : ''} ` +
      `a supervisor${breached > 0 ? ` (${breached} breached)` : ''}`;
    const sorted = [...list].sort(
      (a, b) => RANK[b.kind] - RANK[a.kind] || (a.dueAt ?? '').localeCompare(b.dueAt ?? ''),
    );
    const shown = sorted.slice(0, MAX_DIGEST_LINES).map((a) => line(a, base));
    const more = sorted.length - shown.length;
    const text = [
      'These conversations passed their SLA escalation point or breached it:',
      '',
      ...shown,
      ...(more > 0 ? ['', `… and ${more} more: ${base}/app?view=breaching`] : []),
      '',
      'You receive this because you supervise these queues in Earshot. To stop these e-mails, use',
      `"Escalation e-mails: on" at the top of the app (${base}/app).`,
    ].join('\n');
    return { to, subject, text };
  });
}
