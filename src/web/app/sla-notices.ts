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

/** One notice of a live region: "text — link [Dismiss]". */
export interface NoticeParts {
  /** Notices with the same key replace each other. */
  key: string;
  /** Class names; every notice also has `sla-notice` (the region's styling). */
  className: string;
  text: string;
  href: string;
  linkText: string;
  /** The link's accessible name, when its text alone does not say where it goes. */
  linkLabel?: string;
  dismissLabel: string;
}

/**
 * Puts a notice at the top of a live region, replacing one with the same key among those that match
 * `kind` (a selector), then keeps the newest `max` of them.
 */
export function prependNotice(region: HTMLElement, kind: string, max: number, n: NoticeParts): void {
  for (const old of region.querySelectorAll<HTMLElement>(kind)) {
    if (old.dataset.key === n.key) old.remove();
  }
  const p = document.createElement('p');
  p.className = `sla-notice ${n.className}`;
  p.dataset.key = n.key;
  const link = document.createElement('a');
  link.href = n.href;
  link.textContent = n.linkText;
  if (n.linkLabel) link.setAttribute('aria-label', n.linkLabel);
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.textContent = 'Dismiss';
  dismiss.setAttribute('aria-label', n.dismissLabel);
  dismiss.addEventListener('click', () => p.remove());
  p.append(`${n.text} — `, link, ' ', dismiss);
  region.prepend(p);
  const all = region.querySelectorAll(kind);
  for (let i = max; i < all.length; i++) all[i]!.remove();
}

/** Adds (or replaces) the notices in the live region; the newest first. */
export function showSlaNotices(region: HTMLElement, notices: readonly SlaNotice[]): void {
  for (const n of notices) {
    prependNotice(region, '.sla-notice', MAX_NOTICES, {
      key: `${n.conversationId}:${n.clock}`,
      className: n.kind,
      text: slaNoticeText(n),
      href: conversationHref(n),
      linkText: 'open conversation',
      dismissLabel: `Dismiss: ${slaNoticeText(n)}`,
    });
  }
}
