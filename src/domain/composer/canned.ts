/**
 * Canned replies with variables: `{{customer.name}}`, `{{agent.first_name}}`,
 * `{{conversation.id}}`, … Spaces inside the braces are allowed. A fallback may follow a
 * pipe: `{{customer.first_name | there}}`. Rendering with a variable that has no value and
 * no fallback throws InvalidError('canned_reply_missing_variables') listing all of them.
 */
import { InvalidError } from '../errors.ts';

export const CANNED_VARIABLES = [
  'customer.name',
  'customer.first_name',
  'customer.handle',
  'agent.name',
  'agent.first_name',
  'conversation.id',
  'conversation.url',
  'channel.name',
  'channel.kind',
  'brand.name',
  'article.title',
  'article.url',
] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

/** Nested values: { customer: { name: 'Ana' }, agent: { first_name: 'Sam' } }. */
export type CannedContext = Record<string, Record<string, string | number | null | undefined> | undefined>;

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

export interface TemplateVariableUse {
  name: string;
  fallback: string | null;
}

export function templateVariables(template: string): TemplateVariableUse[] {
  return [...template.matchAll(VARIABLE)].map((m) => ({ name: m[1]!, fallback: m[2] ?? null }));
}

/** Problems an admin should fix before saving a canned reply (unknown variables, stray braces). */
export function cannedTemplateProblems(
  template: string,
  known: readonly string[] = CANNED_VARIABLES,
): string[] {
  const problems: string[] = [];
  for (const v of templateVariables(template)) {
    if (!known.includes(v.name)) problems.push(`unknown variable {{${v.name}}}`);
  }
  const rest = template.replace(VARIABLE, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('unbalanced or malformed {{ }}');
  return [...new Set(problems)];
}

function lookup(ctx: CannedContext, path: string): string | null {
  const [group, ...keys] = path.split('.');
  let value: unknown = ctx[group!];
  for (const k of keys) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
  }
  if (value === null || value === undefined) return null;
  const s = String(value);
  return s.trim() === '' ? null : s;
}

/** Derive first names when only full names are given. */
export function withDerivedNames(ctx: CannedContext): CannedContext {
  const out: CannedContext = { ...ctx };
  for (const who of ['customer', 'agent']) {
    const v = out[who];
    if (v && !v.first_name && typeof v.name === 'string' && v.name.trim()) {
      out[who] = { ...v, first_name: v.name.trim().split(/\s+/)[0] };
    }
  }
  return out;
}

export function renderCanned(template: string, context: CannedContext): string {
  const ctx = withDerivedNames(context);
  const missing = new Set<string>();
  const text = template.replace(VARIABLE, (_m, name: string, fallback: string | undefined) => {
    const value = lookup(ctx, name);
    if (value !== null) return value;
    if (fallback !== undefined) return fallback;
    missing.add(name);
    return '';
  });
  if (missing.size > 0) {
    throw new InvalidError(
      'canned_reply_missing_variables',
      `missing values for ${[...missing].join(', ')}`,
      {
        missing: [...missing],
      },
    );
  }
  return text;
}
