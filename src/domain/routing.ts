/**
 * Routing: ordered rules, first match wins, else the default policy.
 * The rule shape is a TypeBox schema (RoutingRuleSchema) so the HTTP layer can validate with it.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidError } from './errors.ts';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  INTENTS,
  type Intent,
  languageMatches,
  PRIORITY_LEVELS,
  type PriorityLevel,
  priorityRank,
  SENTIMENTS,
  type Sentiment,
} from './types.ts';

const literals = <T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
const nonEmptyList = <T extends ReturnType<typeof Type.String> | ReturnType<typeof literals>>(item: T) =>
  Type.Array(item, { minItems: 1 });
const Keyword = Type.String({ minLength: 1, maxLength: 200 });

export const ROUTING_QUEUES = ['support', 'marketing', 'moderation', 'ignore'] as const;
export type RoutingQueue = (typeof ROUTING_QUEUES)[number];

export const RoutingConditionsSchema = Type.Object(
  {
    channelKinds: Type.Optional(nonEmptyList(literals(CHANNEL_KINDS))),
    channelIds: Type.Optional(nonEmptyList(Type.String({ minLength: 1 }))),
    intents: Type.Optional(nonEmptyList(literals(INTENTS))),
    sentiments: Type.Optional(nonEmptyList(literals(SENTIMENTS))),
    /** any: at least one keyword; all: every keyword; none: no keyword. Case-insensitive, whole words. */
    keywords: Type.Optional(
      Type.Object(
        {
          any: Type.Optional(nonEmptyList(Keyword)),
          all: Type.Optional(nonEmptyList(Keyword)),
          none: Type.Optional(nonEmptyList(Keyword)),
        },
        { additionalProperties: false },
      ),
    ),
    /** BCP-47 tags; 'en' matches 'en-GB'. */
    languages: Type.Optional(nonEmptyList(Type.String({ minLength: 2, maxLength: 35 }))),
    minPriority: Type.Optional(literals(PRIORITY_LEVELS)),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
  },
  { additionalProperties: false },
);

export const RoutingActionSchema = Type.Object(
  {
    queue: literals(ROUTING_QUEUES),
    team: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    ignoreReason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const RoutingRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    enabled: Type.Boolean(),
    conditions: RoutingConditionsSchema,
    action: RoutingActionSchema,
  },
  { additionalProperties: false },
);

export const RoutingRulesSchema = Type.Array(RoutingRuleSchema, { maxItems: 1000 });

export type RoutingConditions = Static<typeof RoutingConditionsSchema>;
export type RoutingAction = Static<typeof RoutingActionSchema>;
export type RoutingRule = Static<typeof RoutingRuleSchema>;

export interface RoutingInput {
  /** Absent for a sample post tried without a channel: rules on channel kinds do not match it. */
  channelKind?: ChannelKind;
  channelId?: string;
  intent: Intent;
  sentiment: Sentiment;
  text: string;
  language?: string | null;
  priority: PriorityLevel;
  isPrivate: boolean;
}

export interface RoutingDecision extends RoutingAction {
  /** The rule that matched, or null when the default policy decided. */
  ruleId: string | null;
}

export interface RuleProblem {
  path: string;
  message: string;
}

/** Structural (schema) and semantic checks; returns all problems, empty when valid. */
export function routingRuleProblems(rules: unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!Value.Check(RoutingRulesSchema, rules)) {
    for (const e of Value.Errors(RoutingRulesSchema, rules)) {
      problems.push({ path: e.path || '/', message: e.message });
      if (problems.length >= 20) break;
    }
    return problems;
  }
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id)) problems.push({ path: `/${i}/id`, message: `duplicate rule id ${rule.id}` });
    seen.add(rule.id);
    const { queue, ignoreReason, team } = rule.action;
    if (queue === 'ignore' && !ignoreReason?.trim()) {
      problems.push({ path: `/${i}/action/ignoreReason`, message: 'ignoring needs a reason' });
    }
    if (queue !== 'ignore' && ignoreReason !== undefined) {
      problems.push({ path: `/${i}/action/ignoreReason`, message: 'only ignore actions take a reason' });
    }
    if (queue === 'ignore' && team !== undefined) {
      problems.push({ path: `/${i}/action/team`, message: 'ignore actions take no team' });
    }
    const kw = rule.conditions.keywords;
    for (const key of ['any', 'all', 'none'] as const) {
      kw?.[key]?.forEach((word, j) => {
        if (!/[\p{L}\p{N}]/u.test(word)) {
          problems.push({
            path: `/${i}/conditions/keywords/${key}/${j}`,
            message: 'keyword needs a letter or digit',
          });
        }
      });
    }
    if (kw && !kw.any && !kw.all && !kw.none) {
      problems.push({ path: `/${i}/conditions/keywords`, message: 'keywords need any, all or none' });
    }
  });
  return problems;
}

/** Throws InvalidError('invalid_routing_rules') listing every problem. */
export function validateRoutingRules(rules: unknown): RoutingRule[] {
  const problems = routingRuleProblems(rules);
  if (problems.length > 0) {
    throw new InvalidError('invalid_routing_rules', `routing rules are invalid: ${problems[0]?.message}`, {
      problems,
    });
  }
  return rules as RoutingRule[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole-word (or whole-phrase), case-insensitive, Unicode-aware keyword matcher. */
export function keywordPattern(keyword: string): RegExp {
  const body = keyword.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

export const DEFAULT_POLICY: Readonly<Record<Intent, RoutingAction>> = {
  complaint: { queue: 'support' },
  question: { queue: 'support' },
  feedback: { queue: 'support' },
  other: { queue: 'support' },
  praise: { queue: 'marketing' },
  lead: { queue: 'marketing' },
  spam: { queue: 'ignore', ignoreReason: 'spam' },
};

export function defaultRoute(intent: Intent): RoutingDecision {
  return { ...DEFAULT_POLICY[intent], ruleId: null };
}

type Test = (input: RoutingInput) => boolean;

function compileConditions(c: RoutingConditions): Test[] {
  const tests: Test[] = [];
  if (c.channelKinds) {
    const set = new Set<string>(c.channelKinds);
    tests.push((p) => p.channelKind !== undefined && set.has(p.channelKind));
  }
  if (c.channelIds) {
    const set = new Set(c.channelIds);
    tests.push((p) => p.channelId !== undefined && set.has(p.channelId));
  }
  if (c.intents) {
    const set = new Set<string>(c.intents);
    tests.push((p) => set.has(p.intent));
  }
  if (c.sentiments) {
    const set = new Set<string>(c.sentiments);
    tests.push((p) => set.has(p.sentiment));
  }
  if (c.languages) {
    const langs = c.languages;
    tests.push((p) => langs.some((l) => languageMatches(l, p.language)));
  }
  if (c.minPriority) {
    const min = priorityRank(c.minPriority);
    tests.push((p) => priorityRank(p.priority) >= min);
  }
  if (c.visibility) {
    const wantPrivate = c.visibility === 'private';
    tests.push((p) => p.isPrivate === wantPrivate);
  }
  const kw = c.keywords;
  if (kw?.any) {
    const pats = kw.any.map(keywordPattern);
    tests.push((p) => pats.some((r) => r.test(p.text)));
  }
  if (kw?.all) {
    const pats = kw.all.map(keywordPattern);
    tests.push((p) => pats.every((r) => r.test(p.text)));
  }
  if (kw?.none) {
    const pats = kw.none.map(keywordPattern);
    tests.push((p) => !pats.some((r) => r.test(p.text)));
  }
  return tests;
}

export type Router = (input: RoutingInput) => RoutingDecision;

/** Validate and compile once; the returned router is cheap per post. Disabled rules are skipped. */
export function compileRouter(rules: unknown): Router {
  const compiled = validateRoutingRules(rules)
    .filter((r) => r.enabled)
    .map((r) => ({ rule: r, tests: compileConditions(r.conditions) }));
  return (input) => {
    for (const { rule, tests } of compiled) {
      if (tests.every((t) => t(input))) return { ...rule.action, ruleId: rule.id };
    }
    return defaultRoute(input.intent);
  };
}

export function route(rules: unknown, input: RoutingInput): RoutingDecision {
  return compileRouter(rules)(input);
}
