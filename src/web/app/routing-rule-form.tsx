/**
 * The form of one routing rule (also used, empty, to add one): name, enabled, conditions (all must
 * hold) and the action. Plain HTML; lists of words are typed comma-separated. Its second button posts
 * the same fields to preview the rule's impact on recent posts (nothing is saved).
 */
import { ROUTING_QUEUES } from '../../domain/routing.ts';
import { IMPACT_POSTS } from '../../domain/routing-impact.ts';
import { CHANNEL_KINDS, INTENTS, PRIORITY_LEVELS, SENTIMENTS } from '../../domain/types.ts';
import {
  allValues,
  Checkbox,
  CheckboxGroup,
  Csrf,
  Field,
  type FieldSpec,
  type FormValues,
  firstValue,
} from './settings-forms.tsx';

export const RULES_PATH = '/app/settings/routing/rules';

export interface ChannelChoice {
  id: string;
  name: string;
  kind: string;
}

/** Element id of a rule form's field: by position, so any stored id is safe in HTML. */
export const ruleFieldId = (slot: number | 'new', field: string) => `rule-${slot}-${field}`;

const listHint = 'Separate with commas. Case-insensitive, whole words or phrases.';
const any = { '': 'any' };
export const RULE_TEXT_FIELDS: Record<string, FieldSpec> = {
  name: { name: 'name', label: 'Name', maxLength: 200 },
  keywordsAny: {
    name: 'keywordsAny',
    label: 'Text contains any of these keywords',
    maxLength: 2000,
    required: false,
    hint: listHint,
  },
  keywordsAll: {
    name: 'keywordsAll',
    label: 'Text contains all of these keywords',
    maxLength: 2000,
    required: false,
  },
  keywordsNone: {
    name: 'keywordsNone',
    label: 'Text contains none of these keywords',
    maxLength: 2000,
    required: false,
  },
  languages: {
    name: 'languages',
    label: 'Languages',
    maxLength: 500,
    required: false,
    hint: "Language tags, comma-separated: 'en' also matches 'en-GB'.",
  },
  minPriority: {
    name: 'minPriority',
    label: 'Priority at least',
    maxLength: 20,
    options: ['', ...PRIORITY_LEVELS],
    optionLabels: any,
  },
  visibility: {
    name: 'visibility',
    label: 'Visibility',
    maxLength: 20,
    options: ['', 'public', 'private'],
    optionLabels: { '': 'public or private', public: 'public posts', private: 'private messages' },
  },
  queue: {
    name: 'queue',
    label: 'Send to',
    maxLength: 20,
    options: ROUTING_QUEUES,
    optionLabels: {
      support: 'support queue',
      marketing: 'marketing queue',
      moderation: 'moderation queue',
      ignore: 'ignore (no conversation)',
    },
  },
  team: {
    name: 'team',
    label: 'Team (optional)',
    maxLength: 100,
    required: false,
    hint: 'Assign within the queue to agents of this team. Not for ignore.',
  },
  ignoreReason: {
    name: 'ignoreReason',
    label: 'Reason for ignoring',
    maxLength: 200,
    required: false,
    hint: 'Needed when the rule ignores posts; kept with each ignored post.',
  },
};

export const RULE_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(RULE_TEXT_FIELDS).map((f) => [f.name, f.label])),
  enabled: 'Enabled',
  channelKinds: 'Channel kinds',
  channelIds: 'Channels',
  intents: 'Intents',
  sentiments: 'Sentiments',
};

const choices = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export function RuleForm(p: {
  slot: number | 'new';
  itemId?: string;
  values: FormValues;
  errors: Record<string, string>;
  csrfToken: string;
  channels: readonly ChannelChoice[];
  submit: string;
}) {
  const id = (f: string) => ruleFieldId(p.slot, f);
  const text = (f: string) => (
    <Field spec={RULE_TEXT_FIELDS[f]!} id={id(f)} value={firstValue(p.values[f])} error={p.errors[f]} />
  );
  const group = (name: string, options: { value: string; label: string }[], hint?: string) => (
    <CheckboxGroup
      id={id(name)}
      name={name}
      legend={RULE_LABELS[name]!}
      options={options}
      checked={allValues(p.values[name])}
      hint={hint}
      error={p.errors[name]}
    />
  );
  // Channels: the connected ones, and any a stored rule names that is gone since.
  const known = new Set(p.channels.map((c) => c.id));
  const channelOptions = [
    ...p.channels.map((c) => ({ value: c.id, label: `${c.name} (${c.kind})` })),
    ...allValues(p.values.channelIds)
      .filter((v) => !known.has(v))
      .map((v) => ({ value: v, label: `${v} (no longer connected)` })),
  ];
  const action = p.itemId === undefined ? RULES_PATH : `${RULES_PATH}/${encodeURIComponent(p.itemId)}`;
  return (
    <form method="post" action={action} class="setting-form">
      <Csrf token={p.csrfToken} />
      {text('name')}
      <Checkbox
        id={id('enabled')}
        name="enabled"
        label="Enabled"
        checked={firstValue(p.values.enabled) === 'true'}
        hint="A disabled rule is kept but skipped."
      />
      <fieldset class="rule-part">
        <legend>When (all that are set must hold; empty matches anything)</legend>
        {group('channelKinds', choices(CHANNEL_KINDS))}
        {channelOptions.length > 0 && group('channelIds', channelOptions)}
        {group('intents', choices(INTENTS), 'As classified by the triage model.')}
        {group('sentiments', choices(SENTIMENTS))}
        {text('keywordsAny')}
        {text('keywordsAll')}
        {text('keywordsNone')}
        {text('languages')}
        {text('minPriority')}
        {text('visibility')}
      </fieldset>
      <fieldset class="rule-part">
        <legend>Then</legend>
        {text('queue')}
        {text('team')}
        {text('ignoreReason')}
      </fieldset>
      <button type="submit">{p.submit}</button>{' '}
      <button type="submit" class="secondary" formaction={`${action}/impact`}>
        Preview impact on the last {IMPACT_POSTS.default} posts
      </button>
    </form>
  );
}
