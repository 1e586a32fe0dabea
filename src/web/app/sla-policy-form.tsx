/**
 * The form of one SLA policy (also used, empty, to add one): what it applies to, the targets in
 * business minutes, the business calendar (time zone, weekly hours, holidays) and when to warn and
 * escalate. Plain HTML.
 */
import { CHANNEL_KINDS, PRIORITY_LEVELS, QUEUES } from '../../domain/types.ts';
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

export const POLICIES_PATH = '/app/settings/sla/policies';

/** Element id of a policy form's field: by position, so any stored id is safe in HTML. */
export const policyFieldId = (slot: number | 'new', field: string) => `policy-${slot}-${field}`;

/** Monday first, as people read a week. */
export const DAYS = [
  ['hoursMon', 'Monday'],
  ['hoursTue', 'Tuesday'],
  ['hoursWed', 'Wednesday'],
  ['hoursThu', 'Thursday'],
  ['hoursFri', 'Friday'],
  ['hoursSat', 'Saturday'],
  ['hoursSun', 'Sunday'],
] as const;

const minutes = (name: string, label: string): FieldSpec => ({
  name,
  label,
  maxLength: 20,
  required: false,
  number: { min: 1, step: 'any' },
});
const fraction = (name: string, label: string, hint: string): FieldSpec => ({
  name,
  label,
  maxLength: 20,
  required: false,
  hint,
  number: { min: 0.01, max: 0.99, step: 0.01 },
});

export const POLICY_TEXT_FIELDS: Record<string, FieldSpec> = {
  name: { name: 'name', label: 'Name', maxLength: 200 },
  firstResponseMinutes: minutes('firstResponseMinutes', 'First response within (minutes)'),
  nextResponseMinutes: minutes('nextResponseMinutes', 'Next response within (minutes)'),
  resolutionMinutes: minutes('resolutionMinutes', 'Resolution within (minutes)'),
  timeZone: {
    name: 'timeZone',
    label: 'Time zone',
    maxLength: 100,
    required: false,
    hint: 'As in the tz database: Europe/Berlin, America/New_York, UTC.',
  },
  ...Object.fromEntries(
    DAYS.map(([name, label]) => [name, { name, label, maxLength: 200, required: false }] as const),
  ),
  holidays: {
    name: 'holidays',
    label: 'Holidays (no business time)',
    maxLength: 20_000,
    required: false,
    rows: 2,
    hint: 'Dates as YYYY-MM-DD, separated by commas.',
  },
  warnAtFraction: fraction(
    'warnAtFraction',
    'Warn at',
    'Fraction of the target: 0.75 (the default) = at 75 %.',
  ),
  escalateAtFraction: fraction(
    'escalateAtFraction',
    'Escalate to a supervisor at',
    'Fraction of the target, not before the warning: 0.9 is the default.',
  ),
};

export const POLICY_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.values(POLICY_TEXT_FIELDS).map((f) => [f.name, f.label])),
  queues: 'Queues',
  channelKinds: 'Channel kinds',
  priorities: 'Priorities',
};

const choices = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export function PolicyForm(p: {
  slot: number | 'new';
  itemId?: string;
  values: FormValues;
  errors: Record<string, string>;
  csrfToken: string;
  submit: string;
}) {
  const id = (f: string) => policyFieldId(p.slot, f);
  const field = (f: string) => (
    <Field spec={POLICY_TEXT_FIELDS[f]!} id={id(f)} value={firstValue(p.values[f])} error={p.errors[f]} />
  );
  const group = (name: string, options: readonly string[]) => (
    <CheckboxGroup
      id={id(name)}
      name={name}
      legend={POLICY_LABELS[name]!}
      options={choices(options)}
      checked={allValues(p.values[name])}
      error={p.errors[name]}
    />
  );
  const checkbox = (name: string, label: string, hint: string) => (
    <Checkbox
      id={id(name)}
      name={name}
      label={label}
      checked={firstValue(p.values[name]) === 'true'}
      hint={hint}
    />
  );
  const action = p.itemId === undefined ? POLICIES_PATH : `${POLICIES_PATH}/${encodeURIComponent(p.itemId)}`;
  return (
    <form method="post" action={action} class="setting-form">
      <Csrf token={p.csrfToken} />
      {field('name')}
      <fieldset class="rule-part">
        <legend>Applies to (none ticked in a group: any)</legend>
        {group('queues', QUEUES)}
        {group('channelKinds', CHANNEL_KINDS)}
        {group('priorities', PRIORITY_LEVELS)}
      </fieldset>
      <fieldset class="rule-part">
        <legend>Targets (business minutes; empty: no such target)</legend>
        {field('firstResponseMinutes')}
        {field('nextResponseMinutes')}
        {field('resolutionMinutes')}
      </fieldset>
      <fieldset class="rule-part">
        <legend>Business calendar</legend>
        {checkbox(
          'businessHours',
          'Count business hours only',
          'Otherwise the clocks run around the clock (24/7) and the fields below are not used.',
        )}
        {field('timeZone')}
        <p class="hint" id={id('hours-hint')}>
          Opening hours per day, local time: 09:00-17:00, or several as 09:00-12:00, 13:00-17:00. Empty:
          closed.
        </p>
        {DAYS.map(([name]) => field(name))}
        {field('holidays')}
      </fieldset>
      <fieldset class="rule-part">
        <legend>Warnings</legend>
        {field('warnAtFraction')}
        {field('escalateAtFraction')}
        {checkbox(
          'countAutoAcknowledgement',
          'Automatic acknowledgements count as a response',
          'Off by default: only a person answering stops the response clocks.',
        )}
      </fieldset>
      <button type="submit">{p.submit}</button>
    </form>
  );
}
