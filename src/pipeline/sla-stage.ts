/**
 * SLA stage: replay a conversation's clock events through src/domain/sla.ts under the policy that
 * matches (queue, channel kind, priority) and return the due times for the conversation row and
 * the next moment the SLA timers job must look at it.
 */
import type { ConversationEvent } from '../domain/conversation-events.ts';
import {
  computeSlaClocks,
  nextDeadline,
  type SlaClockState,
  type SlaPolicy,
  selectSlaPolicy,
  slaEventsFromConversationEvents,
} from '../domain/sla.ts';
import type { ChannelKind, PriorityLevel, QueueName } from '../domain/types.ts';

export interface SlaOutcome {
  policyId: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  nextAt: string | null;
  clocks: SlaClockState[];
}

const NONE: SlaOutcome = {
  policyId: null,
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  nextAt: null,
  clocks: [],
};

export function slaFor(
  policies: readonly SlaPolicy[],
  subject: { queue: QueueName; channelKind: ChannelKind; priority: PriorityLevel },
  events: readonly ConversationEvent[],
  now: Date,
  /** Schedule an immediate check when a threshold has already passed (a late or backfilled post). */
  overdueNow = false,
  /** Per-batch memo: conversations opened together have identical clocks. */
  memo?: Map<string, SlaOutcome>,
): SlaOutcome {
  const policy = selectSlaPolicy(policies, subject);
  if (!policy) return NONE;
  const slaEvents = slaEventsFromConversationEvents(events);
  const key = memo ? `${policy.id}|${overdueNow}|${JSON.stringify(slaEvents)}` : '';
  const hit = memo?.get(key);
  if (hit) return hit;
  const clocks = computeSlaClocks(policy, slaEvents, now);
  const due = (name: SlaClockState['clock']) => {
    const c = clocks.find((s) => s.clock === name);
    return c && c.status === 'running' ? c.dueAt : null;
  };
  const outcome: SlaOutcome = {
    policyId: policy.id,
    firstResponseDueAt: due('first_response'),
    nextResponseDueAt: due('next_response'),
    resolutionDueAt: due('resolution'),
    nextAt:
      overdueNow && clocks.some((c) => c.status === 'running' && c.stage !== 'ok')
        ? now.toISOString()
        : (nextDeadline(clocks, now)?.at ?? null),
    clocks,
  };
  memo?.set(key, outcome);
  return outcome;
}
