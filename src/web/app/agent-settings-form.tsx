/**
 * The form of one agent's assignment settings: capacity, team, languages and the channel kinds they
 * handle. Plain HTML, posted to /app/settings/agents/:id.
 */
import { MAX_CAPACITY } from '../../domain/assignment.ts';
import { CHANNEL_KINDS } from '../../domain/types.ts';
import {
  allValues,
  CheckboxGroup,
  Csrf,
  Field,
  type FieldSpec,
  type FormValues,
  firstValue,
} from './settings-forms.tsx';

export const AGENTS_PATH = '/app/settings/agents';

/** Element id of an agent form's field: by position, so any stored id is safe in HTML. */
export const agentFieldId = (slot: number | 'none', field: string) => `agent-${slot}-${field}`;

export const AGENT_TEXT_FIELDS: Record<string, FieldSpec> = {
  capacity: {
    name: 'capacity',
    label: 'Capacity',
    maxLength: 10,
    hint: `Most open conversations at once, 0 to ${MAX_CAPACITY} (0: none are assigned).`,
    number: { min: 0, max: MAX_CAPACITY, step: 1 },
  },
  team: {
    name: 'team',
    label: 'Team',
    maxLength: 100,
    required: false,
    hint: 'Served in addition to the queues of the role, as routing rules name it. Empty: none.',
  },
  languages: {
    name: 'languages',
    label: 'Languages',
    maxLength: 2_000,
    required: false,
    hint: 'Language tags separated by commas, such as en, pt-br. Empty: any language.',
  },
};

export const AGENT_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(AGENT_TEXT_FIELDS).map((f) => [f.name, f.label])),
  channels: 'Channel kinds',
};

export function AgentForm(p: {
  slot: number;
  agentId: string;
  values: FormValues;
  errors: Record<string, string>;
  csrfToken: string;
}) {
  const id = (f: string) => agentFieldId(p.slot, f);
  const field = (f: string) => (
    <Field spec={AGENT_TEXT_FIELDS[f]!} id={id(f)} value={firstValue(p.values[f])} error={p.errors[f]} />
  );
  return (
    <form method="post" action={`${AGENTS_PATH}/${encodeURIComponent(p.agentId)}`} class="setting-form">
      <Csrf token={p.csrfToken} />
      {field('capacity')}
      {field('team')}
      {field('languages')}
      <CheckboxGroup
        id={id('channels')}
        name="channels"
        legend={AGENT_LABELS.channels!}
        options={CHANNEL_KINDS.map((k) => ({ value: k, label: k }))}
        checked={allValues(p.values.channels)}
        hint="None ticked: any channel."
        error={p.errors.channels}
      />
      <button type="submit">Save settings</button>
    </form>
  );
}
