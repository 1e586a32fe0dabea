/**
 * /app/settings/composer: the guideline phrases the composer's risk check looks for, and the canned
 * replies offered under the composer. Admins edit them with plain HTML forms; supervisors read them.
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import { CANNED_VARIABLES } from '../../domain/composer/canned.ts';
import {
  ErrorSummary,
  type FailedForm,
  type FieldSpec,
  ItemForm,
  type ListName,
  RemoveForm,
} from './composer-settings-forms.tsx';
import { AppLayout } from './layout.tsx';
import { refusedSlot } from './settings-forms.tsx';

export type { FailedForm } from './composer-settings-forms.tsx';

type Stored = { id: string } & Record<string, string | undefined>;

export interface ComposerSettingsPageProps {
  user: PublicUser;
  csrfToken: string;
  guidelines: Stored[];
  cannedReplies: Stored[];
  /** Admins edit; supervisors only see the lists. */
  canEdit: boolean;
  notice?: string;
  failed?: FailedForm;
  limits: { phrase: number; message: number; title: number; body: number };
  severities: readonly string[];
}

const VARIABLE_HELP: Record<string, string> = {
  'customer.name': "the customer's display name",
  'customer.first_name': "the customer's first name",
  'customer.handle': "the customer's handle on the platform",
  'agent.name': 'your name',
  'agent.first_name': 'your first name',
  'conversation.id': 'the conversation number',
  'conversation.url': 'the link to the conversation in Earshot',
  'channel.name': 'the channel the conversation came from',
  'channel.kind': 'the platform (mastodon, email, …)',
  'brand.name': 'the brand name',
  'article.title': 'the title of a linked article',
  'article.url': 'the link to that article',
};

const braces = (name: string) => `{{${name}}}`;

export function ComposerSettingsPage(p: ComposerSettingsPageProps) {
  const guidelineFields: FieldSpec[] = [
    {
      name: 'phrase',
      label: 'Phrase',
      maxLength: p.limits.phrase,
      hint: 'Found case-insensitively, as whole words.',
    },
    { name: 'message', label: 'Message to the author', maxLength: p.limits.message, rows: 2 },
    {
      name: 'severity',
      label: 'Severity',
      maxLength: 10,
      options: p.severities,
      hint: 'block: must be fixed or confirmed before posting; warn: advice.',
    },
  ];
  const cannedFields: FieldSpec[] = [
    { name: 'title', label: 'Title', maxLength: p.limits.title },
    {
      name: 'body',
      label: 'Text',
      maxLength: p.limits.body,
      rows: 5,
      hint: 'Variables such as {{customer.first_name}} are filled in when an agent inserts the reply.',
    },
  ];
  const slotOf = (list: ListName, items: Stored[]) => {
    const f = p.failed;
    if (!f || f.list !== list) return undefined;
    return refusedSlot(
      f.id,
      items.map((it) => it.id),
    );
  };
  const failedSlot = p.failed
    ? (slotOf(p.failed.list, p.failed.list === 'guidelines' ? p.guidelines : p.cannedReplies) ?? 'new')
    : undefined;
  const labels = Object.fromEntries(
    [...guidelineFields, ...cannedFields].map((f) => [f.name, f.label] as const),
  );

  const section = (list: ListName, items: Stored[], fields: FieldSpec[], noun: string, nameOf: string) => {
    const slot = slotOf(list, items);
    const failed = p.failed;
    return (
      <>
        {items.length === 0 && <p>None yet.</p>}
        <ol class="settings-list">
          {items.map((item, i) => {
            const what = `${noun} “${item[nameOf] ?? ''}”`;
            const editing = slot === i && failed;
            return (
              <li key={item.id}>
                <ItemSummary list={list} item={item} />
                {p.canEdit && (
                  <>
                    <details open={Boolean(editing)}>
                      <summary>
                        Edit<span class="sr"> {what}</span>
                      </summary>
                      <ItemForm
                        list={list}
                        slot={i}
                        itemId={item.id}
                        fields={fields}
                        values={editing ? failed.values : item}
                        errors={editing ? failed.errors : {}}
                        csrfToken={p.csrfToken}
                        submit="Save changes"
                      />
                    </details>
                    <RemoveForm list={list} itemId={item.id} what={what} csrfToken={p.csrfToken} />
                  </>
                )}
              </li>
            );
          })}
        </ol>
        {p.canEdit && (
          <>
            <h3 id={`${list}-add`}>Add a {noun}</h3>
            <ItemForm
              list={list}
              slot="new"
              fields={fields}
              values={slot === 'new' && failed ? failed.values : {}}
              errors={slot === 'new' && failed ? failed.errors : {}}
              csrfToken={p.csrfToken}
              submit={`Add ${noun}`}
            />
          </>
        )}
      </>
    );
  };

  return (
    <AppLayout title="Composer settings" user={p.user} csrfToken={p.csrfToken} current="settings">
      <h1>Composer settings</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      {p.failed && failedSlot !== undefined && (
        <ErrorSummary failed={p.failed} slot={failedSlot} labels={labels} />
      )}
      {!p.canEdit && <p>You can read these settings; only admins change them.</p>}
      <section aria-labelledby="guidelines">
        <h2 id="guidelines">Guidelines: tone and forbidden phrases</h2>
        <p>
          Before a public reply is posted, the composer's risk check looks for these phrases and shows the
          author the message.
        </p>
        {section('guidelines', p.guidelines, guidelineFields, 'guideline', 'phrase')}
      </section>
      <section aria-labelledby="canned-replies">
        <h2 id="canned-replies">Canned replies</h2>
        <p>Agents insert these from the composer. Variables available in the text:</p>
        <ul class="variables">
          {CANNED_VARIABLES.map((v) => (
            <li key={v}>
              <code>{braces(v)}</code> {VARIABLE_HELP[v] ?? ''}
            </li>
          ))}
        </ul>
        <p class="hint">
          A fallback after a pipe is used when there is no value:{' '}
          <code>{braces('customer.first_name | there')}</code>. Without a fallback, the agent is told which
          value is missing.
        </p>
        {section('canned-replies', p.cannedReplies, cannedFields, 'canned reply', 'title')}
      </section>
    </AppLayout>
  );
}

function ItemSummary({ list, item }: { list: ListName; item: Stored }) {
  if (list === 'guidelines') {
    return (
      <p class="item-summary">
        <strong>{item.phrase}</strong>{' '}
        <span class={`severity sev-${item.severity ?? 'warn'}`}>{item.severity ?? 'warn'}</span>
        <br />
        {item.message}
      </p>
    );
  }
  return (
    <div class="item-summary">
      <p>
        <strong>{item.title}</strong>
      </p>
      <p class="canned-body">{item.body}</p>
    </div>
  );
}
