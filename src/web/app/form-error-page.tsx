/**
 * What a plain HTML form (no JavaScript) gets back when an action is refused: the reason, and the same
 * form again with everything that was typed, so no draft is lost. Known checks offer their
 * acknowledgement (stale view, risk check) so the author can send anyway after reviewing.
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import { AppLayout } from './layout.tsx';

export interface FormErrorPageProps {
  user: PublicUser;
  csrfToken: string;
  status: number;
  code: string;
  message: string;
  /** Where the form posted (re-posted as is). */
  action: string;
  /** Fields the form sent (the CSRF field is replaced by the current token). */
  fields: Record<string, string>;
  /** Page the author came from. */
  back: string;
}

/** Fields shown as editable text: what the author wrote. */
const TEXT_FIELDS: Record<string, string> = {
  text: 'Your text',
  message: 'Private message',
  acknowledgement: 'Public acknowledgement',
  note: 'Note',
  comment: 'Comment',
  reason: 'Reason',
};

const ACKNOWLEDGE: Record<string, [string, string]> = {
  stale_view: ['acknowledgeStale', 'I reviewed the new activity: send anyway'],
  risk_check: ['acknowledgeRisk', 'I checked this reply: post it publicly anyway'],
};

export function FormErrorPage(p: FormErrorPageProps) {
  const ack = ACKNOWLEDGE[p.code];
  const fields = Object.entries(p.fields).filter(([k]) => k !== '_csrf' && k !== ack?.[0]);
  const texts = fields.filter(([k]) => k in TEXT_FIELDS);
  const hidden = fields.filter(([k]) => !(k in TEXT_FIELDS));
  return (
    <AppLayout title="Not done" user={p.user} csrfToken={p.csrfToken}>
      <h1>Not done</h1>
      <p class="warn" role="alert" data-code={p.code}>
        {p.message}
      </p>
      <form method="post" action={p.action} class="form-error">
        <input type="hidden" name="_csrf" value={p.csrfToken} />
        {hidden.map(([k, v]) => (
          <input type="hidden" name={k} value={v} key={k} />
        ))}
        {texts.map(([k, v]) => (
          <p key={k}>
            <label for={`fe-${k}`}>{TEXT_FIELDS[k]}</label>
            <textarea id={`fe-${k}`} name={k} rows={k === 'text' || k === 'message' ? 6 : 2}>
              {v}
            </textarea>
          </p>
        ))}
        {ack && (
          <p>
            <label>
              <input type="checkbox" name={ack[0]} value="true" /> {ack[1]}
            </label>
          </p>
        )}
        {p.status < 500 && <button type="submit">Try again</button>}
      </form>
      <p>
        <a href={p.back}>Back</a>
      </p>
    </AppLayout>
  );
}
