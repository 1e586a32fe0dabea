/**
 * One post's priority and routing input, from its classification: the drain (thread-route.ts) and
 * "Try routing" (src/services/routing-try.ts: a sample post, or stored posts replayed under candidate
 * rules) call these same functions, so what an admin tries is what the pipeline decides.
 */
import { computePriority, type PriorityResult } from '../domain/priority.ts';
import type { RoutingDecision, RoutingInput } from '../domain/routing.ts';
import type { ChannelKind, Intent, PriorityLevel, Sentiment } from '../domain/types.ts';

export interface TriageSubject {
  /** Absent when trying a sample post without a channel: rules on channel kinds do not match it. */
  channelKind?: ChannelKind;
  channelId?: string;
  text: string;
  isPrivate: boolean;
  followers?: number | null;
}

export interface ClassifiedAs {
  intent: Intent;
  sentiment: Sentiment;
  /** Missing for stored posts (only the label is stored): the label stands in. */
  sentimentScores?: { negative: number };
  complaintScore: number | null;
}

export function postPriority(
  post: TriageSubject,
  cls: Omit<ClassifiedAs, 'intent'>,
  history: { previousComplaints: number; vip: boolean } | null,
): PriorityResult {
  return computePriority({
    text: post.text,
    followers: post.followers ?? null,
    isPrivate: post.isPrivate,
    sentiment: cls.sentiment,
    negativeScore: cls.sentimentScores?.negative ?? null,
    complaintScore: cls.complaintScore,
    history,
  });
}

export function routingInput(
  post: TriageSubject,
  cls: Pick<ClassifiedAs, 'intent' | 'sentiment'>,
  language: string | null,
  priority: PriorityLevel,
): RoutingInput {
  return {
    channelKind: post.channelKind,
    channelId: post.channelId,
    intent: cls.intent,
    sentiment: cls.sentiment,
    text: post.text,
    language,
    priority,
    isPrivate: post.isPrivate,
  };
}

/** Why a post routed to ignore is ignored: the rule's (or default policy's) reason, else its intent. */
export const ignoreReasonOf = (routed: RoutingDecision, intent: Intent): string =>
  routed.ignoreReason ?? intent;
