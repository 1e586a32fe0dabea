/**
 * The SLA policy form's fields ↔ the policy the API takes (SlaPolicyInput). Only reshaping: opening
 * hours typed as "09:00-12:00, 13:00-17:00" become intervals, empty fields are left out, what is not a
 * number stays text. Whether the policy is valid is decided by the API's body schema and the SLA
 * service (src/domain/sla.ts); their error paths are turned back into form fields here.
 */
import type { SlaPolicyInput } from '../../db/repositories/sla.ts';
import type { SlaPolicy } from '../../domain/sla.ts';
import { WEEKDAYS, type Weekday } from '../../domain/sla.ts';
import { allValues, type FormValues, firstValue, sentence } from '../../web/app/settings-forms.tsx';

export const TARGETS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
export const MATCHES = ['queues', 'channelKinds', 'priorities'] as const;
/** The field of a weekday's opening hours: hoursMon. */
export const hoursField = (d: Weekday) => `hours${d[0]!.toUpperCase()}${d.slice(1)}`;

export const POLICY_FIELDS = [
  'name',
  ...MATCHES,
  ...TARGETS,
  'businessHours',
  'timeZone',
  ...WEEKDAYS.map(hoursField),
  'holidays',
  'warnAtFraction',
  'escalateAtFraction',
  'countAutoAcknowledgement',
] as const;

const one = (v: string | string[] | undefined) => firstValue(v).trim();
/** A number when it reads as one; otherwise the text itself, which the schema then refuses. */
const numberOr = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
const words = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

/** "09:00-12:00, 13:00-17:00" → intervals (an unreadable one keeps its text, for the schema to refuse). */
function intervals(s: string) {
  return s
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [start = '', end = ''] = part.split(/\s*[-–]\s*/);
      return { start: start.trim(), end: end.trim() };
    });
}

/** The form as posted → the policy the API's schema and the SLA service check. */
export function policyFromForm(f: FormValues): SlaPolicyInput {
  const match = Object.fromEntries(
    MATCHES.map((m) => [m, allValues(f[m])] as const).filter(([, list]) => list.length > 0),
  );
  const targets = Object.fromEntries(TARGETS.map((t) => [t, one(f[t]) === '' ? null : numberOr(one(f[t]))]));
  const weekly = Object.fromEntries(
    WEEKDAYS.map((d) => [d, intervals(one(f[hoursField(d)]))] as const).filter(([, list]) => list.length > 0),
  );
  const holidays = words(one(f.holidays));
  const policy: Record<string, unknown> = {
    name: one(f.name).replace(/\s+/g, ' '),
    targets,
    calendar:
      one(f.businessHours) === 'true'
        ? { timeZone: one(f.timeZone), weekly, ...(holidays.length > 0 ? { holidays } : {}) }
        : null,
  };
  if (Object.keys(match).length > 0) policy.match = match;
  for (const k of ['warnAtFraction', 'escalateAtFraction'] as const) {
    if (one(f[k]) !== '') policy[k] = numberOr(one(f[k]));
  }
  if (one(f.countAutoAcknowledgement) === 'true') policy.countAutoAcknowledgement = true;
  return policy as unknown as SlaPolicyInput;
}

const text = (n: number | null | undefined) => (typeof n === 'number' ? String(n) : '');

/** A stored policy → the values its edit form starts with. */
export function policyToForm(p: SlaPolicyInput | SlaPolicy): FormValues {
  const out: FormValues = {
    name: p.name,
    queues: [...(p.match?.queues ?? [])],
    channelKinds: [...(p.match?.channelKinds ?? [])],
    priorities: [...(p.match?.priorities ?? [])],
    businessHours: p.calendar ? 'true' : undefined,
    timeZone: p.calendar?.timeZone ?? '',
    holidays: (p.calendar?.holidays ?? []).join(', '),
    warnAtFraction: text(p.warnAtFraction),
    escalateAtFraction: text(p.escalateAtFraction),
    countAutoAcknowledgement: p.countAutoAcknowledgement ? 'true' : undefined,
  };
  for (const t of TARGETS) out[t] = text(p.targets[t]);
  for (const d of WEEKDAYS) {
    out[hoursField(d)] = (p.calendar?.weekly[d] ?? []).map((i) => `${i.start}-${i.end}`).join(', ');
  }
  return out;
}

/** The values of a new policy's form: office hours ready to adjust once business time is ticked. */
export const NEW_POLICY: FormValues = {
  timeZone: 'UTC',
  ...Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [hoursField(d as Weekday), '09:00-17:00']),
  ),
};

/** Only the form's own fields, as posted (a refused form shows them again). */
export function postedPolicyValues(body: Record<string, unknown> | undefined): FormValues {
  const out: FormValues = {};
  for (const f of POLICY_FIELDS) {
    const v = body?.[f];
    if (typeof v === 'string') out[f] = v;
    else if (Array.isArray(v)) out[f] = v.filter((s): s is string => typeof s === 'string');
  }
  return out;
}

/** What to write, for a field the schema refused (its own words are for developers). */
const HELP: Record<string, string> = {
  name: 'Give the policy a name.',
  timeZone: 'Write a time zone such as Europe/Berlin or America/New_York.',
  holidays: 'Write dates as YYYY-MM-DD, separated by commas.',
  warnAtFraction: 'A number between 0 and 1, such as 0.75 (75 % of the target).',
  escalateAtFraction: 'A number between 0 and 1, such as 0.9 (90 % of the target).',
  ...Object.fromEntries(TARGETS.map((t) => [t, 'A positive number of minutes, or empty for no target.'])),
  ...Object.fromEntries(
    WEEKDAYS.map((d) => [hoursField(d), 'Write hours as 09:00-17:00; several as 09:00-12:00, 13:00-17:00.']),
  ),
  ...Object.fromEntries(MATCHES.map((m) => [m, 'Choose from the list.'])),
};

/** A path in the policy ('/calendar/weekly/mon/0/start') → the form field to show it next to. */
export function fieldOfPolicyPath(path: string): string | undefined {
  const [a, b, c] = path.split('/').slice(1);
  if (a === 'name' || a === 'warnAtFraction' || a === 'escalateAtFraction') return a;
  if (a === 'match' && (MATCHES as readonly string[]).includes(b ?? '')) return b;
  if (a === 'targets' && (TARGETS as readonly string[]).includes(b ?? '')) return b;
  if (a === 'calendar') {
    if (b === 'weekly' && (WEEKDAYS as readonly string[]).includes(c ?? '')) return hoursField(c as Weekday);
    if (b === 'holidays') return 'holidays';
    return 'timeZone';
  }
  return undefined;
}

/** The message next to a field: schema errors get plain help, the service's own words are kept. */
export function policyError(field: string, message: string, fromSchema: boolean): string {
  return (fromSchema && HELP[field]) || sentence(message);
}
