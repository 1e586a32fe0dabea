/**
 * Who hears of an SLA alert (`sla.alert`, raised by src/jobs/sla-timers.ts): escalations and breaches
 * go to supervisors and admins, warnings and breaches to the assigned agent, and only ever for a
 * conversation in a queue the subscriber can see. What goes out names the conversation, the clock,
 * the kind and the due time: no queue, team or assignee (the browser re-reads the rest through the API).
 */
import { type Role, receivesSlaEscalations } from '../../domain/roles.ts';
import { SLA_ALERT_TOPIC, type SlaAlert } from '../../jobs/sla-timers.ts';
import type { BusEvent } from '../../lib/event-bus.ts';

/** The SSE event name is the bus topic. */
export const SLA_ALERT_EVENT = SLA_ALERT_TOPIC;

export type SlaNotice = Pick<SlaAlert, 'conversationId' | 'clock' | 'kind' | 'dueAt'>;

export interface SlaSubscriber {
  id: string;
  role: Role | 'system';
  visible: ReadonlySet<string>;
}

const KINDS = new Set<string>(['warning', 'escalation', 'breach']);
const FOR_SUPERVISORS = new Set<string>(['escalation', 'breach']);
const FOR_ASSIGNEE = new Set<string>(['warning', 'breach']);

/** The alerts of one `sla.alert` bus message that concern this subscriber (empty when none do). */
export function slaNoticesFor(e: BusEvent, who: SlaSubscriber): SlaNotice[] {
  const alerts = Array.isArray(e.alerts) ? (e.alerts as unknown[]) : [];
  const supervises = receivesSlaEscalations(who.role);
  const notices: SlaNotice[] = [];
  for (const raw of alerts) {
    if (!raw || typeof raw !== 'object') continue;
    const a = raw as Record<string, unknown>;
    const kind = String(a.kind);
    if (!KINDS.has(kind) || typeof a.conversationId !== 'string') continue;
    if (!who.visible.has(String(a.queue))) continue;
    const assigned = typeof a.assigneeId === 'string' && a.assigneeId === who.id;
    if (!(supervises && FOR_SUPERVISORS.has(kind)) && !(assigned && FOR_ASSIGNEE.has(kind))) continue;
    notices.push({
      conversationId: a.conversationId,
      clock: String(a.clock),
      kind: kind as SlaNotice['kind'],
      dueAt: typeof a.dueAt === 'string' ? a.dueAt : null,
    });
  }
  return notices;
}
