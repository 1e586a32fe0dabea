/**
 * The agent settings form's fields ↔ the settings PATCH /api/users/:id takes (AgentSettings). Only
 * reshaping: languages typed as "en, pt-br" become a list, an empty team clears it, what is not a number
 * stays text. Whether the settings are valid is decided by the API's body schema and the availability
 * service (validateAgentSettings in src/domain/assignment.ts); their errors are turned back into
 * form fields here.
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import { type AgentSettings, MAX_CAPACITY } from '../../domain/assignment.ts';
import type { ChannelKind } from '../../domain/types.ts';
import { allValues, type FormValues, firstValue, sentence } from '../../web/app/settings-forms.tsx';
import { splitList } from '../routing-settings/form.ts';

/** Every field of the form (the names posted). */
export const AGENT_FIELDS = ['capacity', 'team', 'languages', 'channels'] as const;
export type AgentField = (typeof AGENT_FIELDS)[number];

const one = (v: string | string[] | undefined) => firstValue(v).trim();
/** A number when it reads as one; otherwise the text itself, which the schema then refuses. */
const numberOr = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** The form as posted → the settings the API's schema and the availability service check. */
export function agentSettingsFromForm(f: FormValues): AgentSettings {
  return {
    capacity: numberOr(one(f.capacity)) as number,
    skills: { languages: splitList(f.languages), channels: allValues(f.channels) as ChannelKind[] },
    team: one(f.team) || null,
  };
}

/** An account's stored settings → the values its form starts with. */
export function agentToForm(u: PublicUser): FormValues {
  return {
    capacity: String(u.capacity),
    team: u.team ?? '',
    languages: (u.skills.languages ?? []).join(', '),
    channels: [...(u.skills.channels ?? [])],
  };
}

/** Only the form's own fields, as posted (a refused form shows them again). */
export function postedAgentValues(body: Record<string, unknown> | undefined): FormValues {
  const out: FormValues = {};
  for (const f of AGENT_FIELDS) {
    const v = body?.[f];
    if (typeof v === 'string') out[f] = v;
    else if (Array.isArray(v)) out[f] = v.filter((s): s is string => typeof s === 'string');
  }
  return out;
}

/** A path in the settings ('/skills/languages/2') → the form field to show it next to. */
export function fieldOfSettingsPath(path: string): AgentField | undefined {
  const [a, b] = path.split('/').slice(1);
  if (a === 'capacity' || a === 'team') return a;
  if (a === 'skills' && (b === 'languages' || b === 'channels')) return b;
  return undefined;
}

/** The service's error codes (src/domain/assignment.ts) → the field they are about. */
const FIELD_OF_CODE: Record<string, AgentField> = {
  invalid_capacity: 'capacity',
  invalid_language: 'languages',
  invalid_channel_kind: 'channels',
  invalid_team: 'team',
};
export const fieldOfErrorCode = (code: string): AgentField | undefined => FIELD_OF_CODE[code];

/** What to write, for a field the schema refused (its own words are for developers). */
const HELP: Record<AgentField, string> = {
  capacity: `Capacity must be a whole number from 0 to ${MAX_CAPACITY}.`,
  team: 'Team: up to 100 characters, as in the routing rules.',
  languages: 'Write up to 50 language tags such as en or pt-br, separated by commas.',
  channels: 'Choose from the list.',
};

/** The message next to a field: schema errors get plain help, the service's own words are kept. */
export function agentError(field: AgentField, message: string, fromSchema: boolean): string {
  return (fromSchema && HELP[field]) || sentence(message);
}
