/**
 * Pieces of the composer settings page: a labelled field that shows what to fix, and the form of
 * one guideline or canned reply (also used, empty, to add one). Plain HTML forms, no JavaScript.
 */

export type ListName = 'guidelines' | 'canned-replies';

/** What the page shows again after a refused form: which form, what was typed, what to fix. */
export interface FailedForm {
  list: ListName;
  /** The edited item; undefined for the add form. */
  id?: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  message: string;
}

export interface FieldSpec {
  name: string;
  label: string;
  maxLength: number;
  hint?: string;
  rows?: number;
  options?: readonly string[];
}

/** Element id of a field: by position, so any stored id is safe in HTML. */
export const fieldId = (list: ListName, slot: number | 'new', field: string) => `${list}-${slot}-${field}`;

export function Field(p: { spec: FieldSpec; id: string; value: string; error?: string }) {
  const { spec, id, error } = p;
  const describedBy =
    [spec.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <p class="field">
      <label for={id}>{spec.label}</label>
      {spec.hint && (
        <span class="hint" id={`${id}-hint`}>
          {spec.hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
      {spec.options ? (
        <select {...common}>
          {spec.options.map((o) => (
            <option key={o} value={o} selected={p.value === o}>
              {o}
            </option>
          ))}
        </select>
      ) : spec.rows ? (
        <textarea {...common} rows={spec.rows} maxLength={spec.maxLength} required>
          {p.value}
        </textarea>
      ) : (
        <input {...common} value={p.value} maxLength={spec.maxLength} required />
      )}
    </p>
  );
}

export interface ItemFormProps {
  list: ListName;
  /** Position in the list, or 'new' for the add form. */
  slot: number | 'new';
  /** The stored id (undefined for the add form). */
  itemId?: string;
  fields: readonly FieldSpec[];
  values: Record<string, string | undefined>;
  errors: Record<string, string>;
  csrfToken: string;
  submit: string;
}

export function ItemForm(p: ItemFormProps) {
  const base = `/app/settings/composer/${p.list}`;
  const action = p.itemId === undefined ? base : `${base}/${encodeURIComponent(p.itemId)}`;
  return (
    <form method="post" action={action} class="setting-form">
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      {p.fields.map((f) => (
        <Field
          key={f.name}
          spec={f}
          id={fieldId(p.list, p.slot, f.name)}
          value={p.values[f.name] ?? (f.options ? f.options[0]! : '')}
          error={p.errors[f.name]}
        />
      ))}
      <button type="submit">{p.submit}</button>
    </form>
  );
}

/** Removing an item: its own small form (forms cannot nest). */
export function RemoveForm(p: { list: ListName; itemId: string; what: string; csrfToken: string }) {
  return (
    <form
      method="post"
      action={`/app/settings/composer/${p.list}/${encodeURIComponent(p.itemId)}/remove`}
      class="inline"
    >
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      <button type="submit" class="secondary">
        Remove<span class="sr"> {p.what}</span>
      </button>
    </form>
  );
}

/** The top of the page after a refused form: the reason and a link to each field to fix. */
export function ErrorSummary(p: {
  failed: FailedForm;
  slot: number | 'new';
  labels: Record<string, string>;
}) {
  const { failed } = p;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">Not saved</h2>
      <p>{failed.message}</p>
      {Object.keys(failed.errors).length > 0 && (
        <ul>
          {Object.entries(failed.errors).map(([field, message]) => (
            <li key={field}>
              <a href={`#${fieldId(failed.list, p.slot, field)}`}>
                {p.labels[field] ?? field}: {message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
