/**
 * Trying routing rules before saving them: which rule of a list decided (name and position), the
 * candidate list with one edited or new rule in it, and what a candidate list would change on stored
 * posts — their routing replayed (src/services/routing-try.ts) and tallied here per destination
 * (queue and team), with a few examples of posts that would go elsewhere.
 */
import { ROUTING_QUEUES, type RoutingRule } from './routing.ts';

/** Where a post goes: a queue (or ignore) and its team (null: the queue's agents). */
export interface Destination {
  queue: string;
  team: string | null;
}

/** The rule that decided: its id, name and 0-based position in the list tried. */
export interface RuleRef {
  id: string;
  name: string;
  position: number;
}

export interface ReplayedPost {
  postId: string;
  text: string;
  /** Where the pipeline routed it when it was stored. */
  actual: Destination;
  /** Where the candidate rules route it, and the rule that decided (null: the default policy). */
  candidate: Destination & { ruleId: string | null };
}

export interface DestinationCount extends Destination {
  /** Posts the pipeline routed here. */
  actual: number;
  /** Posts the candidate rules would route here. */
  candidate: number;
}

export interface ImpactExample {
  postId: string;
  excerpt: string;
  from: Destination;
  to: Destination;
  /** The candidate rule that would decide; null for the default policy. */
  rule: RuleRef | null;
}

export interface RoutingImpact {
  /** Posts replayed. */
  posts: number;
  /** Of those, how many would go to another queue or team. */
  changed: number;
  destinations: DestinationCount[];
  examples: ImpactExample[];
}

export const IMPACT_EXAMPLES = 10;
/** How many of the most recent routed posts an impact preview replays: by default, and at most. */
export const IMPACT_POSTS = { default: 500, max: 2_000 } as const;

/** The rule with this id in the list, with its position; null for the default policy (or an unknown id). */
export function ruleRef(rules: readonly RoutingRule[], ruleId: string | null): RuleRef | null {
  if (ruleId === null) return null;
  const position = rules.findIndex((r) => r.id === ruleId);
  return position < 0 ? null : { id: ruleId, name: rules[position]!.name, position };
}

/** The saved rules with `rule` in place of the one with its id, else added last (as a new rule is). */
export function withCandidateRule(saved: readonly RoutingRule[], rule: RoutingRule): RoutingRule[] {
  return saved.some((r) => r.id === rule.id)
    ? saved.map((r) => (r.id === rule.id ? rule : r))
    : [...saved, rule];
}

/** The first `max` characters of a post on one line, "…" when cut. */
export function excerpt(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const keyOf = (d: Destination) => `${d.queue}\u001f${d.team ?? ''}`;
const queueRank = (queue: string) => {
  const i = (ROUTING_QUEUES as readonly string[]).indexOf(queue);
  return i < 0 ? ROUTING_QUEUES.length : i;
};

/** Counts per destination (in queue order, then team), how many would change, and the first examples. */
export function tallyImpact(
  replayed: readonly ReplayedPost[],
  rules: readonly RoutingRule[],
  examples = IMPACT_EXAMPLES,
): RoutingImpact {
  const counts = new Map<string, DestinationCount>();
  const count = (d: Destination, side: 'actual' | 'candidate') => {
    const key = keyOf(d);
    const c = counts.get(key) ?? { queue: d.queue, team: d.team, actual: 0, candidate: 0 };
    c[side] += 1;
    counts.set(key, c);
  };
  const out: RoutingImpact = { posts: replayed.length, changed: 0, destinations: [], examples: [] };
  for (const p of replayed) {
    const to = { queue: p.candidate.queue, team: p.candidate.team };
    count(p.actual, 'actual');
    count(to, 'candidate');
    if (keyOf(p.actual) === keyOf(to)) continue;
    out.changed += 1;
    if (out.examples.length < examples) {
      out.examples.push({
        postId: p.postId,
        excerpt: excerpt(p.text),
        from: p.actual,
        to,
        rule: ruleRef(rules, p.candidate.ruleId),
      });
    }
  }
  out.destinations = [...counts.values()].sort(
    (a, b) => queueRank(a.queue) - queueRank(b.queue) || (a.team ?? '').localeCompare(b.team ?? ''),
  );
  return out;
}
