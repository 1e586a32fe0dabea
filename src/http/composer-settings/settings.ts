/**
 * The composer settings an admin edits: guideline phrases for the risk check and canned replies with
 * variables (settings rows `composer.guidelines` and `composer.canned_replies`). One set of rules for
 * the JSON API (PUT /api/composer/…) and the admin page's plain HTML forms (/app/settings/composer).
 * Every change is a read-modify-write under an advisory lock on the key, and is audited.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog, settings } from '../../db/schema/index.ts';
import { cannedTemplateProblems } from '../../domain/composer/canned.ts';
import { InvalidError, NotFoundError } from '../../domain/errors.ts';
import { CANNED_KEY, GUIDELINES_KEY } from '../../services/replies.ts';

export const SEVERITIES = ['warn', 'block'] as const;
export const MAX_ITEMS = 500;
export const LIMITS = { phrase: 200, message: 500, title: 200, body: 4000 } as const;

/** A stored item: its id, the edited fields, and any other string property an API client stored. */
export type Item = { id: string; [field: string]: string };
/** `severity` is "warn" or "block" (see Guideline in the risk check). */
export type GuidelineItem = Item & { phrase: string; message: string; severity: string };
export type CannedReplyItem = Item & { title: string; body: string };

/** Field name → what to fix. */
export type FieldErrors = Record<string, string>;

export interface ListSpec<T extends Item> {
  key: string;
  /** For messages: "guideline", "canned reply". */
  noun: string;
  /** The fields an admin edits. */
  fields: readonly string[];
  clean(raw: Record<string, unknown>): T;
  problems(item: T, others: readonly T[]): FieldErrors;
}

const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : '');
const same = (a: string, b: string) =>
  a.replace(/\s+/g, ' ').toLowerCase() === b.replace(/\s+/g, ' ').toLowerCase();

/** Keep the other string properties an API client stored (the risk check ignores them). */
function base(raw: Record<string, unknown>): Item {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return { ...out, id: text(raw.id) || randomUUID() };
}

function required(errors: FieldErrors, field: string, value: string, max: number, missing: string) {
  if (!value) errors[field] = missing;
  else if (value.length > max) errors[field] = `Keep it to ${max} characters (now ${value.length}).`;
}

export const guidelineList: ListSpec<GuidelineItem> = {
  key: GUIDELINES_KEY,
  noun: 'guideline',
  fields: ['phrase', 'message', 'severity'],
  clean: (raw) => ({
    ...base(raw),
    phrase: text(raw.phrase).replace(/\s+/g, ' '),
    message: text(raw.message),
    severity: text(raw.severity) || 'warn',
  }),
  problems(g, others) {
    const errors: FieldErrors = {};
    required(errors, 'phrase', g.phrase, LIMITS.phrase, 'Write the word or phrase to look for.');
    if (!errors.phrase && others.some((o) => same(o.phrase, g.phrase))) {
      errors.phrase = 'This phrase is already in the list.';
    }
    required(errors, 'message', g.message, LIMITS.message, 'Write what the author is told when it is found.');
    if (!(SEVERITIES as readonly string[]).includes(g.severity)) {
      errors.severity = 'Choose warn or block.';
    }
    return errors;
  },
};

export const cannedList: ListSpec<CannedReplyItem> = {
  key: CANNED_KEY,
  noun: 'canned reply',
  fields: ['title', 'body'],
  clean: (raw) => ({ ...base(raw), title: text(raw.title).replace(/\s+/g, ' '), body: text(raw.body) }),
  problems(c, others) {
    const errors: FieldErrors = {};
    required(errors, 'title', c.title, LIMITS.title, 'Give the canned reply a title.');
    if (!errors.title && others.some((o) => same(o.title, c.title))) {
      errors.title = 'Another canned reply already has this title.';
    }
    required(errors, 'body', c.body, LIMITS.body, 'Write the text of the reply.');
    const template = errors.body ? [] : cannedTemplateProblems(c.body);
    if (template.length > 0) errors.body = `Fix the variables: ${template.join('; ')}.`;
    return errors;
  },
};

const hasErrors = (e: FieldErrors) => Object.keys(e).length > 0;

/** Thrown when one item does not pass: details.fields says what to fix in which field. */
function itemInvalid(noun: string, fields: FieldErrors): InvalidError {
  return new InvalidError('composer_setting_invalid', `The ${noun} was not saved: please check the form.`, {
    fields,
  });
}

/** Every problem of a whole list as the JSON API receives it (empty when it can be saved). */
export function listProblems<T extends Item>(
  spec: ListSpec<T>,
  items: readonly T[],
): { index: number; field: string; message: string }[] {
  const out: { index: number; field: string; message: string }[] = [];
  if (items.length > MAX_ITEMS) out.push({ index: -1, field: 'items', message: `At most ${MAX_ITEMS}.` });
  items.forEach((item, index) => {
    const before = items.slice(0, index);
    if (before.some((o) => o.id === item.id)) out.push({ index, field: 'id', message: 'Duplicate id.' });
    for (const [field, message] of Object.entries(spec.problems(item, before))) {
      out.push({ index, field, message });
    }
  });
  return out;
}

export function composerSettings(db: Db) {
  const read = async <T>(key: string, from: Pick<Db, 'select'> = db): Promise<T[]> => {
    const [row] = await from.select().from(settings).where(eq(settings.key, key));
    return Array.isArray(row?.value) ? (row.value as T[]) : [];
  };

  /** Read-modify-write of one list, serialized per key, audited. */
  async function change<T extends Item>(
    spec: ListSpec<T>,
    actorId: string,
    action: string,
    edit: (items: T[]) => T[],
  ): Promise<T[]> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${spec.key}))`);
      const next = edit(await read<T>(spec.key, tx));
      await tx
        .insert(settings)
        .values({ key: spec.key, value: next })
        .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: new Date() } });
      await tx.insert(auditLog).values({
        actorId,
        action: `setting.${action}`,
        subjectType: 'setting',
        subjectId: spec.key,
        detail: { count: next.length },
      });
      return next;
    });
  }

  const pick = (fields: readonly string[], raw: Record<string, unknown>) =>
    Object.fromEntries(fields.map((f) => [f, raw[f]]));

  return {
    list: <T extends Item>(spec: ListSpec<T>) => read<T>(spec.key),

    /** The JSON API's PUT: the whole list at once, every item checked. */
    replaceAll<T extends Item>(spec: ListSpec<T>, actorId: string, raw: Record<string, unknown>[]) {
      const items = raw.map((r) => spec.clean(r));
      const problems = listProblems(spec, items);
      if (problems.length > 0) {
        const first = problems[0]!;
        const where = first.index >= 0 ? `item ${first.index + 1}, ${first.field}` : first.field;
        throw new InvalidError('composer_setting_invalid', `Not saved (${where}): ${first.message}`, {
          problems,
        });
      }
      return change(spec, actorId, 'replaced', () => items);
    },

    /** Add one item from the form's fields (last in the list). */
    add<T extends Item>(spec: ListSpec<T>, actorId: string, raw: Record<string, unknown>) {
      return change(spec, actorId, 'item_added', (items) => {
        const item = spec.clean(pick(spec.fields, raw));
        const errors = spec.problems(item, items);
        if (hasErrors(errors)) throw itemInvalid(spec.noun, errors);
        if (items.length >= MAX_ITEMS) {
          throw new InvalidError(
            'composer_setting_full',
            `The list is full (${MAX_ITEMS}): remove one first.`,
          );
        }
        return [...items, item];
      });
    },

    /** Change one item's editable fields; any other stored property is kept. */
    update<T extends Item>(spec: ListSpec<T>, actorId: string, id: string, raw: Record<string, unknown>) {
      return change(spec, actorId, 'item_changed', (items) => {
        const old = items.find((i) => i.id === id);
        if (!old)
          throw new NotFoundError('composer_setting_not_found', `No such ${spec.noun}: it was removed.`);
        const item = spec.clean({ ...old, ...pick(spec.fields, raw), id });
        const errors = spec.problems(
          item,
          items.filter((i) => i.id !== id),
        );
        if (hasErrors(errors)) throw itemInvalid(spec.noun, errors);
        return items.map((i) => (i.id === id ? item : i));
      });
    },

    /** Removing one that is already gone is not an error. */
    remove<T extends Item>(spec: ListSpec<T>, actorId: string, id: string) {
      return change(spec, actorId, 'item_removed', (items) => items.filter((i) => i.id !== id));
    },
  };
}

export type ComposerSettings = ReturnType<typeof composerSettings>;
