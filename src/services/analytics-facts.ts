/**
 * One conversation → one analytics fact row (docs/METRICS.md). Pure: the rollup loads the inputs.
 * Timing comes from conversation_events (the event model), customer messages from inbound posts,
 * SLA outcomes from replaying the events through the SLA clocks of src/domain/sla.
 */
import type { ConversationStatus } from '../domain/conversation-types.ts';
import {
  businessTimeBetween,
  computeSlaClocks,
  type SlaClockState,
  type SlaEvent,
  type SlaPolicy,
  selectSlaPolicy,
} from '../domain/sla.ts';
import type { ChannelKind, PriorityLevel, QueueName } from '../domain/types.ts';

export interface FactConversation {
  id: string;
  createdAt: Date;
  channelKind: string;
  queue: string;
  team: string | null;
  assigneeId: string | null;
  intent: string;
  priority: string;
  status: string;
  startedPublic: boolean;
  startedAsPublicComplaint: boolean;
  publicState: string;
  resolvedAt: Date | null;
  sentimentStart: string | null;
  sentimentEnd: string | null;
  state: Record<string, unknown>;
}

export interface FactEvent {
  type: string;
  at: Date;
  actorId: string | null;
  data: Record<string, unknown>;
}

export interface FactPost {
  direction: 'inbound' | 'outbound';
  postedAt: Date;
  sentiment: string | null;
}

export interface ConversationFact {
  conversationId: string;
  createdAt: Date;
  channelKind: string;
  queue: string;
  initialQueue: string;
  team: string | null;
  assigneeId: string | null;
  intent: string;
  priority: string;
  status: string;
  startedPublic: boolean;
  publicComplaint: boolean;
  noResponseNeeded: boolean;
  inboundNeeding: number;
  inboundAnswered: number;
  agentReplies: number;
  firstResponseAt: Date | null;
  firstPublicResponseAt: Date | null;
  frtWallS: number | null;
  frtBusinessS: number | null;
  resolvedAt: Date | null;
  resolutionWallS: number | null;
  resolutionBusinessS: number | null;
  slaFirstResponse: 'met' | 'missed' | null;
  slaResolution: 'met' | 'missed' | null;
  slaNextCycles: number;
  slaNextMissed: number;
  resolutionNotice: 'posted' | 'waived' | 'missing' | 'pending' | null;
  sentimentFirst: number | null;
  sentimentLast: number | null;
  handoffs: number;
  queueHandoffs: number;
  reopens: number;
}

const SENTIMENT_SCORE: Record<string, number> = { negative: -1, neutral: 0, positive: 1 };
const DONE = new Set(['resolved', 'closed']);

export function sentimentScore(s: string | null | undefined): number | null {
  return s ? (SENTIMENT_SCORE[s] ?? null) : null;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** An agent reply counts unless it is the system's automatic acknowledgement. */
function isAgentReply(e: FactEvent): boolean {
  return e.type === 'reply_recorded' && e.actorId !== 'system';
}

function slaOutcome(s: SlaClockState | undefined): 'met' | 'missed' | null {
  if (!s) return null;
  if (s.status === 'met' || s.status === 'missed') return s.status;
  if ((s.status === 'running' || s.status === 'paused') && s.stage === 'breached') return 'missed';
  return null;
}

/** The SLA events for replay: a customer message per inbound post (the opening one at least). */
export function slaEventsFor(
  conv: FactConversation,
  events: readonly FactEvent[],
  posts: readonly FactPost[],
) {
  const customer = posts.filter((p) => p.direction === 'inbound').map((p) => p.postedAt.getTime());
  if (customer.length === 0) customer.push(conv.createdAt.getTime());
  const list: Array<{ t: number; e: SlaEvent }> = customer.map((t) => ({
    t,
    e: { type: 'customer_message', at: new Date(t).toISOString() },
  }));
  for (const ev of events) {
    const at = ev.at.toISOString();
    if (ev.type === 'reply_recorded') {
      const visibility = ev.data.visibility === 'private' ? 'private' : 'public';
      list.push({
        t: ev.at.getTime(),
        e: { type: 'agent_reply', at, visibility, automated: ev.actorId === 'system' },
      });
    } else if (ev.type === 'status_changed' && typeof ev.data.to === 'string') {
      list.push({
        t: ev.at.getTime(),
        e: { type: 'status_changed', at, status: ev.data.to as ConversationStatus },
      });
    }
  }
  // Stable sort: at equal times the customer message comes first (it was received before the reply).
  return list.sort((a, b) => a.t - b.t).map((x) => x.e);
}

export function computeConversationFact(
  conv: FactConversation,
  events: readonly FactEvent[],
  posts: readonly FactPost[],
  policies: readonly SlaPolicy[],
  now: Date,
): ConversationFact {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const opened = conv.createdAt.getTime();
  const policy = selectSlaPolicy(policies, {
    queue: conv.queue as QueueName,
    channelKind: conv.channelKind as ChannelKind,
    priority: conv.priority as PriorityLevel,
  });
  const cal = policy?.calendar ?? null;

  const replies = sorted.filter(isAgentReply);
  const firstReply = replies.find((e) => e.at.getTime() >= opened) ?? null;
  const firstPublic =
    replies.find((e) => e.data.visibility !== 'private' && e.at.getTime() >= opened) ?? null;

  const inbound = posts.filter((p) => p.direction === 'inbound').sort((a, b) => +a.postedAt - +b.postedAt);
  const noResponseNeeded = Boolean(conv.state.noResponseNeeded) || conv.intent === 'spam';
  const needing = noResponseNeeded ? [] : inbound.length > 0 ? inbound : [{ postedAt: conv.createdAt }];
  const lastReplyAt = replies.length > 0 ? Math.max(...replies.map((e) => e.at.getTime())) : null;
  const answered = needing.filter((p) => lastReplyAt !== null && lastReplyAt >= p.postedAt.getTime()).length;

  let resolvedAt: Date | null = null;
  if (DONE.has(conv.status)) {
    const into = sorted.filter(
      (e) =>
        e.type === 'status_changed' && DONE.has(String(e.data.to)) && !DONE.has(String(e.data.from ?? '')),
    );
    resolvedAt = into.at(-1)?.at ?? conv.resolvedAt ?? null;
  }

  const opening = sorted.find((e) => e.type === 'conversation_opened');
  const handoffs = sorted.filter((e) => e.type === 'handed_off');
  const firstHandoff = handoffs[0];
  const initialQueue =
    (typeof opening?.data.queue === 'string' ? opening.data.queue : undefined) ??
    (typeof firstHandoff?.data.fromQueue === 'string' ? firstHandoff.data.fromQueue : undefined) ??
    conv.queue;

  let slaFirst: 'met' | 'missed' | null = null;
  let slaRes: 'met' | 'missed' | null = null;
  let nextCycles = 0;
  let nextMissed = 0;
  if (policy) {
    const clocks = computeSlaClocks(policy, slaEventsFor(conv, sorted, posts), now);
    const by = (n: string) => clocks.find((c) => c.clock === n);
    slaFirst = slaOutcome(by('first_response'));
    slaRes = slaOutcome(by('resolution'));
    const next = by('next_response');
    if (next && next.status !== 'disabled') {
      const active = next.status === 'running' || next.status === 'paused';
      const breached = active && next.stage === 'breached';
      nextMissed = next.missedCount + (breached ? 1 : 0);
      nextCycles = next.cycles - (active && !breached ? 1 : 0) - (next.status === 'stopped' ? 1 : 0);
    }
  }

  let resolutionNotice: ConversationFact['resolutionNotice'] = null;
  if (conv.startedAsPublicComplaint) {
    const posted =
      conv.publicState === 'resolution_notice_posted' ||
      sorted.some((e) => e.type === 'reply_recorded' && e.data.kind === 'resolution_notice');
    const waived = sorted.some((e) => e.type === 'resolution_notice_waived') || Boolean(conv.state.waiver);
    resolutionNotice = posted
      ? 'posted'
      : waived || noResponseNeeded
        ? 'waived'
        : resolvedAt
          ? 'missing'
          : 'pending';
  }

  const firstSentiment = inbound.find((p) => p.sentiment)?.sentiment ?? conv.sentimentStart;
  const lastSentiment = [...inbound].reverse().find((p) => p.sentiment)?.sentiment ?? conv.sentimentEnd;

  return {
    conversationId: conv.id,
    createdAt: conv.createdAt,
    channelKind: conv.channelKind,
    queue: conv.queue,
    initialQueue,
    team: conv.team,
    assigneeId: conv.assigneeId,
    intent: conv.intent,
    priority: conv.priority,
    status: conv.status,
    startedPublic: conv.startedPublic,
    publicComplaint: conv.startedAsPublicComplaint,
    noResponseNeeded,
    inboundNeeding: needing.length,
    inboundAnswered: answered,
    agentReplies: replies.length,
    firstResponseAt: firstReply?.at ?? null,
    firstPublicResponseAt: firstPublic?.at ?? null,
    frtWallS: firstReply ? seconds(firstReply.at.getTime() - opened) : null,
    frtBusinessS: firstReply ? seconds(businessTimeBetween(cal, opened, firstReply.at.getTime())) : null,
    resolvedAt,
    resolutionWallS: resolvedAt ? seconds(resolvedAt.getTime() - opened) : null,
    resolutionBusinessS: resolvedAt ? seconds(businessTimeBetween(cal, opened, resolvedAt.getTime())) : null,
    slaFirstResponse: slaFirst,
    slaResolution: slaRes,
    slaNextCycles: Math.max(0, nextCycles),
    slaNextMissed: nextMissed,
    resolutionNotice,
    sentimentFirst: sentimentScore(firstSentiment),
    sentimentLast: sentimentScore(lastSentiment),
    handoffs: handoffs.length,
    queueHandoffs: handoffs.filter((e) => e.data.fromQueue !== e.data.toQueue).length,
    reopens: sorted.filter((e) => e.type === 'reopened').length,
  };
}
