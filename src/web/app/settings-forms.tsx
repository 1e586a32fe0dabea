/**
 * Form pieces shared by the admin settings pages (composer, routing, SLA): a labelled field that shows
 * what to fix, groups of checkboxes, one-button forms (remove, move, enable) and the error summary at
 * the top of a refused form. Plain HTML forms with the CSRF token, no JavaScript.
 */
import type { ComponentChildren } from 'preact';

export interface FieldSpec {
  name: string;
  label: string;
  maxLength: number;
  hint?: string;
  rows?: number;
  options?: readonly string[];
  /** Labels of the options when they differ from the values. */
  optionLabels?: Readonly<Record<string, string>>;
  /** Default true. */
  required?: boolean;
  /** A number field (text fields otherwise). */
  number?: { min?: number; max?: number; step?: number | 'any' };
}

/** A form's values as posted or as they start: checkbox groups are lists. */
export type FormValues = Record<string, string | string[] | undefined>;

/** What the page shows again after a refused form: which form, what was typed, what to fix. */
export interface RefusedForm {
  /** The edited item; undefined for the add form. */
  id?: string;
  values: FormValues;
  /** Field → what to fix. */
  errors: Record<string, string>;
  message: string;
  /** The summary's heading; default "Not saved". */
  title?: string;
}

/** One value of a form field (the first of a list). */
export const firstValue = (v: string | string[] | undefined): string =>
  Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
/** A service's message as a sentence: "ignoring needs a reason" → "Ignoring needs a reason." */
export const sentence = (s: string) => {
  const t = s.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}` : t;
};
/** All values of a checkbox group. */
export const allValues = (v: string | string[] | undefined): string[] =>
  Array.isArray(v) ? v : v ? [v] : [];

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

const describedBy = (id: string, hint?: string, error?: string) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

function HintAndError({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

export function Field(p: { spec: FieldSpec; id: string; value: string; error?: string }) {
  const { spec, id, error } = p;
  const required = spec.required ?? true;
  const common = {
    id,
    name: spec.name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, spec.hint, error),
  };
  return (
    <p class="field">
      <label for={id}>{spec.label}</label>
      <HintAndError id={id} hint={spec.hint} error={error} />
      {spec.options ? (
        <select {...common}>
          {spec.options.map((o) => (
            <option key={o} value={o} selected={p.value === o}>
              {spec.optionLabels?.[o] ?? o}
            </option>
          ))}
        </select>
      ) : spec.rows ? (
        <textarea {...common} rows={spec.rows} maxLength={spec.maxLength} required={required}>
          {p.value}
        </textarea>
      ) : spec.number ? (
        <input
          {...common}
          type="number"
          value={p.value}
          min={spec.number.min}
          max={spec.number.max}
          step={spec.number.step}
          required={required}
        />
      ) : (
        <input {...common} value={p.value} maxLength={spec.maxLength} required={required} />
      )}
    </p>
  );
}

/** Several values of one field (name repeated), in a fieldset. */
export function CheckboxGroup(p: {
  id: string;
  name: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  checked: readonly string[];
  hint?: string;
  error?: string;
}) {
  return (
    <fieldset class="checkbox-group" id={p.id} aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend>{p.legend}</legend>
      <HintAndError id={p.id} hint={p.hint} error={p.error} />
      {p.options.map((o, i) => (
        <label key={o.value} class="check">
          <input
            type="checkbox"
            name={p.name}
            value={o.value}
            id={i === 0 ? `${p.id}-first` : undefined}
            checked={p.checked.includes(o.value)}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** One yes/no field; unchecked sends nothing. */
export function Checkbox(p: { id: string; name: string; label: string; checked: boolean; hint?: string }) {
  return (
    <p class="field">
      <label class="check" for={p.id}>
        <input
          type="checkbox"
          id={p.id}
          name={p.name}
          value="true"
          checked={p.checked}
          aria-describedby={p.hint ? `${p.id}-hint` : undefined}
        />{' '}
        {p.label}
      </label>
      {p.hint && (
        <span class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </span>
      )}
    </p>
  );
}

/** A form of one button (forms cannot nest): remove, move up, disable… */
export function ButtonForm(p: {
  action: string;
  csrfToken: string;
  /** Visible text, and the rest read to screen readers only ("Remove" + " rule “x”"). */
  label: string;
  what: string;
  secondary?: boolean;
  fields?: Record<string, string>;
  disabled?: boolean;
}) {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrfToken} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={p.secondary ? 'secondary' : 'plain'} disabled={p.disabled}>
        {p.label}
        <span class="sr"> {p.what}</span>
      </button>
    </form>
  );
}

/**
 * Which form a refused post belongs to: the position of the item it edited, or 'new' for the add form
 * (also when that item was removed meanwhile: what was typed goes to the add form).
 */
export function refusedSlot(editedId: string | undefined, ids: readonly string[]): number | 'new' {
  const i = editedId === undefined ? -1 : ids.indexOf(editedId);
  return i >= 0 ? i : 'new';
}

/** The buttons of one item in an ordered list (first match wins): move up, move down, any others, remove. */
export function OrderedItemActions(p: {
  /** The item's path: forms post to `${at}/move` and `${at}/remove`. */
  at: string;
  csrfToken: string;
  what: string;
  index: number;
  count: number;
  children?: ComponentChildren;
}) {
  const move = (direction: 'up' | 'down', disabled: boolean) => (
    <ButtonForm
      action={`${p.at}/move`}
      csrfToken={p.csrfToken}
      label={direction === 'up' ? 'Move up' : 'Move down'}
      what={p.what}
      fields={{ direction }}
      disabled={disabled}
    />
  );
  return (
    <div class="item-actions">
      {move('up', p.index === 0)}
      {move('down', p.index === p.count - 1)}
      {p.children}
      <ButtonForm action={`${p.at}/remove`} csrfToken={p.csrfToken} label="Remove" what={p.what} secondary />
    </div>
  );
}

/** The top of the page after a refused form: the reason and a link to each field to fix. */
export function ErrorSummary(p: {
  title?: string;
  message: string;
  errors: Record<string, string>;
  labels: Record<string, string>;
  /** Element id of a field, for the links. */
  idOf: (field: string) => string;
}) {
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{p.title ?? 'Not saved'}</h2>
      <p>{p.message}</p>
      {Object.keys(p.errors).length > 0 && (
        <ul>
          {Object.entries(p.errors).map(([field, message]) => (
            <li key={field}>
              <a href={`#${p.idOf(field)}`}>
                {p.labels[field] ?? field}: {message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ text }: { text?: string }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}
