/**
 * On the routing rules page: "Try routing" — a sample post and what the pipeline would decide for it
 * under the saved rules, as sentences (src/services/routing-try-text.ts, shared with
 * `earshot routing try`) — and the impact of a rule being edited on the most recent routed posts: counts
 * per queue and team, then and with the rule, and posts that would go elsewhere. Plain HTML forms.
 */
import type { RoutingImpact } from '../../domain/routing-impact.ts';
import { CHANNEL_KINDS } from '../../domain/types.ts';
import type { TriedRouting } from '../../services/routing-try.ts';
import { byRuleText, destinationText, triedRoutingSentences } from '../../services/routing-try-text.ts';
import {
  Checkbox,
  Csrf,
  Field,
  type FieldSpec,
  type FormValues,
  firstValue,
  type RefusedForm,
} from './settings-forms.tsx';

export const TRY_PATH = '/app/settings/routing/try';

/** The Try routing form as posted, what to fix, and what the pipeline would decide. */
export interface TriedForm {
  values: FormValues;
  errors: Record<string, string>;
  result?: TriedRouting;
}

/** A rule's impact previewed from its form: the form stays open with what was typed. */
export interface ImpactPreview {
  form: RefusedForm;
  ruleName: string;
  result: RoutingImpact & { limit: number };
}

export const TRY_START: FormValues = { public: 'true' };

export const TRY_FIELDS: Record<string, FieldSpec> = {
  text: { name: 'text', label: 'Post text', maxLength: 10_000, rows: 4 },
  channel: {
    name: 'channel',
    label: 'Channel kind',
    maxLength: 20,
    options: ['', ...CHANNEL_KINDS],
    optionLabels: { '': 'none (rules on channel kinds do not match)' },
  },
  followers: {
    name: 'followers',
    label: "Author's followers",
    maxLength: 12,
    required: false,
    number: { min: 0, step: 1 },
    hint: 'Reach adds to the priority.',
  },
};

export const tryFieldId = (field: string) => `try-${field}`;

export function TryRouting(p: { csrfToken: string; tried?: TriedForm }) {
  const values = p.tried?.values ?? TRY_START;
  const errors = p.tried?.errors ?? {};
  const field = (f: string) => (
    <Field spec={TRY_FIELDS[f]!} id={tryFieldId(f)} value={firstValue(values[f])} error={errors[f]} />
  );
  const result = p.tried?.result;
  return (
    <section aria-labelledby="try-routing">
      <h2 id="try-routing">Try routing</h2>
      <p>
        Type a post as a customer might write it: the triage model classifies it and the saved rules route it,
        exactly as the pipeline would. Nothing is stored.
      </p>
      <form method="post" action={TRY_PATH} class="setting-form">
        <Csrf token={p.csrfToken} />
        {field('text')}
        {field('channel')}
        {field('followers')}
        <Checkbox
          id={tryFieldId('public')}
          name="public"
          label="Public post"
          checked={firstValue(values.public) === 'true'}
          hint="Unticked: a private message."
        />
        <button type="submit">Try routing</button>
      </form>
      {result && (
        <div class="try-result">
          <h3 id="try-result">What the pipeline would decide</h3>
          <ul>
            {triedRoutingSentences(result).map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export function ImpactSection({ impact }: { impact: ImpactPreview }) {
  const r = impact.result;
  return (
    <section aria-labelledby="impact" class="impact">
      <h2 id="impact">
        Impact of rule “{impact.ruleName}” on the last {r.limit} posts
      </h2>
      {r.posts === 0 ? (
        <p>No routed posts yet: there is nothing to compare with.</p>
      ) : (
        <p>
          Of the {r.posts} most recent posts routing decided for (new conversations and ignored posts),{' '}
          {r.changed} would go elsewhere with this rule. Nothing was saved.
        </p>
      )}
      {r.destinations.length > 0 && (
        <table class="counts">
          <caption>Posts per destination</caption>
          <thead>
            <tr>
              <th scope="col">Goes to</th>
              <th scope="col">Routed there</th>
              <th scope="col">With this rule</th>
            </tr>
          </thead>
          <tbody>
            {r.destinations.map((d) => (
              <tr key={`${d.queue} ${d.team ?? ''}`}>
                <th scope="row">{destinationText(d)}</th>
                <td>{d.actual}</td>
                <td>{d.candidate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.examples.length > 0 && (
        <>
          <h3>Posts that would go elsewhere</h3>
          <ul>
            {r.examples.map((e) => (
              <li key={e.postId}>
                “{e.excerpt}”: from {destinationText(e.from)} to {destinationText(e.to)}, by{' '}
                {byRuleText(e.rule)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
