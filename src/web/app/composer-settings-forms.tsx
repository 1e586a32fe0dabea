/**
 * Pieces of the composer settings page: the form of one guideline or canned reply (also used, empty,
 * to add one). Plain HTML forms, no JavaScript; fields and buttons from settings-forms.tsx.
 */
import {
  ButtonForm,
  Csrf,
  Field,
  type FieldSpec,
  ErrorSummary as SharedErrorSummary,
} from './settings-forms.tsx';

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

export type { FieldSpec } from './settings-forms.tsx';

/** Element id of a field: by position, so any stored id is safe in HTML. */
export const fieldId = (list: ListName, slot: number | 'new', field: string) => `${list}-${slot}-${field}`;

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
      <Csrf token={p.csrfToken} />
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
    <ButtonForm
      action={`/app/settings/composer/${p.list}/${encodeURIComponent(p.itemId)}/remove`}
      csrfToken={p.csrfToken}
      label="Remove"
      what={p.what}
      secondary
    />
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
    <SharedErrorSummary
      message={failed.message}
      errors={failed.errors}
      labels={p.labels}
      idOf={(field) => fieldId(failed.list, p.slot, field)}
    />
  );
}
