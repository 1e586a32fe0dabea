/**
 * The routing rule form's fields ↔ the rule the API takes (RuleInput). Only reshaping: lists typed as
 * "a, b" become arrays, empty fields are left out. Whether the rule is valid is decided by the routing
 * service (the domain's RoutingRuleSchema and rules), exactly as for the API; its problem paths are
 * turned back into form fields here.
 */
import type { RoutingConditions } from '../../domain/routing.ts';
import type { RuleInput } from '../../services/routing.ts';
import type { FormValues } from '../../web/app/settings-forms.tsx';

/** Every field of the form (the names posted). */
export const RULE_FIELDS = [
  'name',
  'enabled',
  'channelKinds',
  'channelIds',
  'intents',
  'sentiments',
  'keywordsAny',
  'keywordsAll',
  'keywordsNone',
  'languages',
  'minPriority',
  'visibility',
  'queue',
  'team',
  'ignoreReason',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
/** Checkbox groups: posted once per ticked box. */
export const RULE_LIST_FIELDS = ['channelKinds', 'channelIds', 'intents', 'sentiments'] as const;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
/** "refund, money back" or one per line → ['refund', 'money back']. */
export const splitList = (v: string | string[] | undefined) =>
  one(v)
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

/** The form as posted → the rule the routing service validates and saves. */
export function ruleFromForm(f: FormValues): RuleInput {
  const keywords = {
    any: nonEmpty(splitList(f.keywordsAny)),
    all: nonEmpty(splitList(f.keywordsAll)),
    none: nonEmpty(splitList(f.keywordsNone)),
  };
  const conditions = {
    channelKinds: nonEmpty(many(f.channelKinds)),
    channelIds: nonEmpty(many(f.channelIds)),
    intents: nonEmpty(many(f.intents)),
    sentiments: nonEmpty(many(f.sentiments)),
    keywords: keywords.any || keywords.all || keywords.none ? keywords : undefined,
    languages: nonEmpty(splitList(f.languages)),
    minPriority: one(f.minPriority) || undefined,
    visibility: one(f.visibility) || undefined,
  };
  const queue = one(f.queue);
  const action = {
    queue,
    team: (queue !== 'ignore' && one(f.team)) || undefined,
    ignoreReason: (queue === 'ignore' && one(f.ignoreReason)) || undefined,
  };
  return {
    name: one(f.name).replace(/\s+/g, ' '),
    enabled: one(f.enabled) === 'true',
    conditions: withoutUndefined(conditions) as RoutingConditions,
    action: withoutUndefined(action) as RuleInput['action'],
  };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
const join = (list: readonly string[] | undefined) => (list ?? []).join(', ');

/** A stored rule → the values its edit form starts with. */
export function ruleToForm(r: RuleInput): FormValues {
  const c = r.conditions;
  return {
    name: r.name,
    enabled: r.enabled ? 'true' : undefined,
    channelKinds: [...(c.channelKinds ?? [])],
    channelIds: [...(c.channelIds ?? [])],
    intents: [...(c.intents ?? [])],
    sentiments: [...(c.sentiments ?? [])],
    keywordsAny: join(c.keywords?.any),
    keywordsAll: join(c.keywords?.all),
    keywordsNone: join(c.keywords?.none),
    languages: join(c.languages),
    minPriority: c.minPriority ?? '',
    visibility: c.visibility ?? '',
    queue: r.action.queue,
    team: r.action.team ?? '',
    ignoreReason: r.action.ignoreReason ?? '',
  };
}

/** The values of a new rule's form. */
export const NEW_RULE: FormValues = { enabled: 'true', queue: 'support' };

/** Only the form's own fields, as posted (a refused form shows them again). */
export function postedValues(body: Record<string, unknown> | undefined): FormValues {
  const out: FormValues = {};
  for (const f of RULE_FIELDS) {
    const v = body?.[f];
    if (typeof v === 'string') out[f] = v;
    else if (Array.isArray(v)) out[f] = v.filter((s): s is string => typeof s === 'string');
  }
  return out;
}

const PATHS: [RegExp, RuleField][] = [
  [/^\/name/, 'name'],
  [/^\/enabled/, 'enabled'],
  [/^\/conditions\/keywords\/all/, 'keywordsAll'],
  [/^\/conditions\/keywords\/none/, 'keywordsNone'],
  [/^\/conditions\/keywords/, 'keywordsAny'],
  [/^\/action\/team/, 'team'],
  [/^\/action\/ignoreReason/, 'ignoreReason'],
  [/^\/action/, 'queue'],
];

/**
 * A problem's path in the rule list the service checked ('/0/conditions/keywords/any/1') → the form
 * field to show it next to; undefined when it belongs to no single field.
 */
export function fieldOfProblem(path: string): RuleField | undefined {
  const inRule = path.replace(/^\/\d+/, '');
  const direct = /^\/conditions\/(\w+)/.exec(inRule)?.[1];
  if (direct && direct !== 'keywords' && (RULE_FIELDS as readonly string[]).includes(direct)) {
    return direct as RuleField;
  }
  return PATHS.find(([re]) => re.test(inRule))?.[1];
}
