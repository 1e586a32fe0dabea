/**
 * SLA alerts pushed by the realtime stream (`sla.alert`, see src/http/realtime/sla-alerts.ts), shown
 * in the layout's polite live region #sla-notices: "SLA escalation: first response due … — open
 * conversation". One notice per conversation and clock (a later, graver alert replaces it), at most
 * MAX_NOTICES, each dismissable. Without JavaScript the inbox's "breaching" view lists the same work.
 */
import type { SlaNotice } from '../../http/realtime/sla-alerts.ts';
import { fmtTime, label } from './layout.tsx';

export const MAX_NOTICES = 5;

const HEADING: Record<SlaNotice['kind'], string> = {
  warning: 'SLA warning',
  escalation: 'SLA escalation',
  breach: 'SLA breached',
};

/** "SLA escalation: first response due 2026-11-24 10:42 UTC". */
export function slaNoticeText(n: SlaNotice): string {
  const due = n.dueAt ? ` ${n.kind === 'breach' ? 'was due' : 'due'} ${fmtTime(n.dueAt)}` : '';
  return `${HEADING[n.kind] ?? 'SLA alert'}: ${label(n.clock)}${due}`;
}

const EVENT_KIND: Record<string, SlaNotice['kind']> = {
  sla_warning: 'warning',
  sla_escalated: 'escalation',
  sla_breached: 'breach',
};

/**
 * An SLA event of the audit trail as a sentence ("SLA escalation to a supervisor: first response due
 * …"), or null for any other event type.
 */
export function slaEventText(type: string, data: unknown): string | null {
  const kind = EVENT_KIND[type];
  if (!kind) return null;
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const text = slaNoticeText({
    conversationId: '',
    kind,
    clock: typeof d.clock === 'string' ? d.clock : 'clock',
    dueAt: typeof d.dueAt === 'string' ? d.dueAt : null,
  });
  return kind === 'escalation' && d.escalateTo === 'supervisor'
    ? text.replace('SLA escalation', 'SLA escalation to a supervisor')
    : text;
}

export function conversationHref(n: Pick<SlaNotice, 'conversationId'>): string {
  return `/app/conversations/${encodeURIComponent(n.conversationId)}`;
}

/** Adds (or replaces) the notices in the live region; the newest first. */
export function showSlaNotices(region: HTMLElement, notices: readonly SlaNotice[]): void {
  for (const n of notices) {
    const key = `${n.conversationId}:${n.clock}`;
    for (const old of region.querySelectorAll<HTMLElement>('.sla-notice')) {
      if (old.dataset.key === key) old.remove();
    }
    const p = document.createElement('p');
    p.className = `sla-notice ${n.kind}`;
    p.dataset.key = key;
    const link = document.createElement('a');
    link.href = conversationHref(n);
    link.textContent = 'open conversation';
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.textContent = 'Dismiss';
    dismiss.setAttribute('aria-label', `Dismiss: ${slaNoticeText(n)}`);
    dismiss.addEventListener('click', () => p.remove());
    p.append(`${slaNoticeText(n)} — `, link, ' ', dismiss);
    region.prepend(p);
  }
  const all = region.querySelectorAll('.sla-notice');
  for (let i = MAX_NOTICES; i < all.length; i++) all[i]!.remove();
}
