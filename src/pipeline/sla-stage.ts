/**
 * SLA stage: replay a conversation's clock events through src/domain/sla.ts under the policy that
 * matches (queue, channel kind, priority) and return the due times for the conversation row and
 * the next moment the SLA timers job must look at it.
 */

import type { EventRecord, NewConversation } from '../db/repositories/conversations.ts';
import { slaEventHistory } from '../db/repositories/sla-clocks.ts';
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
import type { Queryable } from './intake.ts';

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

type DueTimes = Pick<NewConversation, 'firstResponseDueAt' | 'nextResponseDueAt' | 'resolutionDueAt'>;

/**
 * The SLA stage of a drain batch: sets the due times on the batch's new and updated conversations
 * (new ones from their own events, updated ones replayed with their history) and returns when the
 * timers job must next look at each.
 */
export async function batchSla(
  q: Queryable,
  decided: {
    created: (DueTimes & {
      id: string;
      state: { queue: QueueName };
      channelKind: string;
      priority: string;
    })[];
    updated: (DueTimes & {
      id: string;
      state: { queue: QueueName };
      channelKind: ChannelKind;
      priority: string;
    })[];
  },
  events: readonly EventRecord[],
  policies: readonly SlaPolicy[],
  now: Date,
): Promise<{ conversationId: string; policyId: string | null; nextAt: string | null }[]> {
  const eventsOf = new Map<string, EventRecord[]>();
  for (const e of events) {
    const list = eventsOf.get(e.conversationId) ?? [];
    list.push(e);
    eventsOf.set(e.conversationId, list);
  }
  const past = await slaEventHistory(
    q,
    decided.updated.map((u) => u.id),
  );
  const memo = new Map<string, SlaOutcome>();
  const schedule: { conversationId: string; policyId: string | null; nextAt: string | null }[] = [];
  const apply = (
    c: DueTimes & { id: string; state: { queue: QueueName }; channelKind: string; priority: string },
  ) => {
    const all = [...(past.get(c.id) ?? []), ...(eventsOf.get(c.id) ?? [])] as ConversationEvent[];
    const subject = {
      queue: c.state.queue,
      channelKind: c.channelKind as ChannelKind,
      priority: c.priority as PriorityLevel,
    };
    const sla = slaFor(policies, subject, all, now, true, memo);
    c.firstResponseDueAt = sla.firstResponseDueAt;
    c.nextResponseDueAt = sla.nextResponseDueAt;
    c.resolutionDueAt = sla.resolutionDueAt;
    schedule.push({ conversationId: c.id, policyId: sla.policyId, nextAt: sla.nextAt });
  };
  for (const c of decided.created) apply(c);
  for (const u of decided.updated) apply(u);
  return schedule;
}
