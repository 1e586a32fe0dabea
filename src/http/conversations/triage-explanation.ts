/**
 * Why a conversation is where it is, from the pipeline's `routed` event (src/pipeline/thread-route.ts):
 * the queue and team it was routed to and by which rule (or the default policy), the classification
 * behind it (intent and its reason, sentiment, complaint score, language), the priority and the factors
 * that made it, and why a new conversation was opened. Events written by older versions may lack
 * fields: each is null (or empty) then.
 */
import type { DetailRows } from './detail-query.ts';

export interface PriorityFactorView {
  factor: string;
  points: number;
  detail: string | null;
}

export interface TriageExplanation {
  routedAt: string;
  queue: string | null;
  team: string | null;
  /** The routing rule that matched; null: the default policy decided. `name` is null for a deleted rule. */
  rule: { id: string; name: string | null } | null;
  intent: string | null;
  intentReason: string | null;
  sentiment: string | null;
  complaintScore: number | null;
  language: string | null;
  priority: string | null;
  priorityScore: number | null;
  priorityFactors: PriorityFactorView[];
  /** Why a new conversation was opened: no_match, outside_window, closed. */
  threading: string | null;
  /** Routed when someone restored the post from the ignored posts (src/services/ignored-posts-restore.ts). */
  restored: boolean;
}

/** A non-empty string from an event's JSON data, else null. */
export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function triageExplanation(routed: DetailRows['routed']): TriageExplanation | null {
  if (!routed) return null;
  const d = routed.data ?? {};
  const ruleId = str(d.ruleId);
  const factors = Array.isArray(d.priorityFactors) ? (d.priorityFactors as unknown[]) : [];
  return {
    routedAt: new Date(routed.at).toISOString(),
    queue: str(d.queue),
    team: str(d.team),
    rule: ruleId ? { id: ruleId, name: routed.rule_name } : null,
    intent: str(d.intent),
    intentReason: str(d.intentReason),
    sentiment: str(d.sentiment),
    complaintScore: num(d.complaintScore),
    language: str(d.language),
    priority: str(d.priority),
    priorityScore: num(d.priorityScore),
    priorityFactors: factors.flatMap((f) => {
      const x = (f && typeof f === 'object' ? f : {}) as Record<string, unknown>;
      const factor = str(x.factor);
      const points = num(x.points);
      return factor && points !== null ? [{ factor, points, detail: str(x.detail) }] : [];
    }),
    threading: str(d.threading),
    restored: d.restored === true,
  };
}
