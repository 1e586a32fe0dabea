/**
 * /app/settings/sla: the SLA policies in order (the first that matches a conversation's queue, channel
 * kind and priority applies). Admins edit with plain HTML forms; supervisors read.
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import { DEFAULT_ESCALATE_FRACTION, DEFAULT_WARN_FRACTION, type SlaPolicy } from '../../domain/sla.ts';
import { AppLayout } from './layout.tsx';
import {
  ErrorSummary,
  type FormValues,
  Notice,
  OrderedItemActions,
  type RefusedForm,
  refusedSlot,
} from './settings-forms.tsx';
import { POLICIES_PATH, POLICY_LABELS, PolicyForm, policyFieldId } from './sla-policy-form.tsx';

export interface SlaSettingsPageProps {
  user: PublicUser;
  csrfToken: string;
  /** In order, each with the values its edit form starts with. */
  policies: { policy: SlaPolicy; values: FormValues }[];
  /** The add form's starting values. */
  newValues: FormValues;
  /** The built-in policies that apply while the list is empty. */
  builtIn: readonly SlaPolicy[];
  /** Admins edit; supervisors only see the list. */
  canEdit: boolean;
  notice?: string;
  failed?: RefusedForm;
}

export function SlaSettingsPage(p: SlaSettingsPageProps) {
  const failed = p.failed;
  const failedSlot = failed
    ? refusedSlot(
        failed.id,
        p.policies.map((x) => x.policy.id),
      )
    : undefined;
  return (
    <AppLayout title="SLA policies" user={p.user} csrfToken={p.csrfToken} current="sla">
      <h1>SLA policies</h1>
      <Notice text={p.notice} />
      {failed && failedSlot !== undefined && (
        <ErrorSummary
          message={failed.message}
          errors={failed.errors}
          labels={POLICY_LABELS}
          idOf={(f) => policyFieldId(failedSlot, f)}
        />
      )}
      {!p.canEdit && <p>You can read these policies; only admins change them.</p>}
      <p>
        A conversation gets the targets of the first policy, from the top, that matches its queue, channel
        kind and priority. When none matches, it has no SLA clock.
      </p>
      {p.policies.length === 0 && (
        <section aria-labelledby="built-in">
          <h2 id="built-in">Built-in policies (while there are none of your own)</h2>
          <ol class="settings-list">
            {p.builtIn.map((policy) => (
              <li key={policy.id}>
                <PolicySummary policy={policy} />
              </li>
            ))}
          </ol>
        </section>
      )}
      <section aria-labelledby="policies">
        <h2 id="policies">Policies, in order</h2>
        {p.policies.length === 0 && <p>None yet: the built-in policies above apply.</p>}
        <ol class="settings-list">
          {p.policies.map(({ policy, values }, i) => {
            const what = `SLA policy “${policy.name}”`;
            const editing = failedSlot === i && failed;
            const at = `${POLICIES_PATH}/${encodeURIComponent(policy.id)}`;
            return (
              <li key={policy.id}>
                <PolicySummary policy={policy} />
                {p.canEdit && (
                  <>
                    <OrderedItemActions
                      at={at}
                      csrfToken={p.csrfToken}
                      what={what}
                      index={i}
                      count={p.policies.length}
                    />
                    <details open={Boolean(editing)}>
                      <summary>
                        Edit<span class="sr"> {what}</span>
                      </summary>
                      <PolicyForm
                        slot={i}
                        itemId={policy.id}
                        values={editing ? failed.values : values}
                        errors={editing ? failed.errors : {}}
                        csrfToken={p.csrfToken}
                        submit="Save changes"
                      />
                    </details>
                  </>
                )}
              </li>
            );
          })}
        </ol>
        {p.canEdit && (
          <>
            <h3 id="policy-add">Add an SLA policy</h3>
            <p class="hint">New policies are added last; move them up to take precedence.</p>
            <PolicyForm
              slot="new"
              values={failedSlot === 'new' && failed ? failed.values : p.newValues}
              errors={failedSlot === 'new' && failed ? failed.errors : {}}
              csrfToken={p.csrfToken}
              submit="Add SLA policy"
            />
          </>
        )}
      </section>
    </AppLayout>
  );
}

const DAY_NAMES: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const mins = (n: number | null | undefined) => (typeof n === 'number' ? `${n} min` : '—');
const pct = (f: number) => `${Math.round(f * 100)} %`;

function PolicySummary({ policy }: { policy: SlaPolicy }) {
  const m = policy.match;
  const applies = [
    m?.queues?.length ? `queue ${m.queues.join(' or ')}` : '',
    m?.channelKinds?.length ? `channel kind ${m.channelKinds.join(' or ')}` : '',
    m?.priorities?.length ? `priority ${m.priorities.join(' or ')}` : '',
  ].filter(Boolean);
  const cal = policy.calendar;
  const hours = cal
    ? Object.keys(DAY_NAMES)
        .filter((d) => cal.weekly[d as keyof typeof cal.weekly]?.length)
        .map(
          (d) =>
            `${DAY_NAMES[d]} ${(cal.weekly[d as keyof typeof cal.weekly] ?? []).map((i) => `${i.start}–${i.end}`).join(', ')}`,
        )
    : [];
  return (
    <div class="item-summary">
      <p>
        <strong>{policy.name}</strong>
      </p>
      <p>Applies to {applies.length > 0 ? applies.join('; ') : 'every conversation'}.</p>
      <p>
        First response {mins(policy.targets.firstResponseMinutes)}, next response{' '}
        {mins(policy.targets.nextResponseMinutes)}, resolution {mins(policy.targets.resolutionMinutes)}. Warn
        at {pct(policy.warnAtFraction ?? DEFAULT_WARN_FRACTION)}, escalate at{' '}
        {pct(policy.escalateAtFraction ?? DEFAULT_ESCALATE_FRACTION)}
        {policy.countAutoAcknowledgement ? '; automatic acknowledgements count' : ''}.
      </p>
      <p>
        {cal
          ? `Business hours (${cal.timeZone}): ${hours.join('; ') || 'none'}${cal.holidays?.length ? `; holidays ${cal.holidays.join(', ')}` : ''}.`
          : 'Clocks run 24/7.'}
      </p>
    </div>
  );
}
