/**
 * /app/settings/routing: the routing rules in order (the first enabled rule that matches decides where
 * a new conversation goes) and the default policy used when none matches. Admins only.
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import type { RoutingAction, RoutingRule } from '../../domain/routing.ts';
import { AppLayout } from './layout.tsx';
import { type ChannelChoice, RULE_LABELS, RULES_PATH, RuleForm, ruleFieldId } from './routing-rule-form.tsx';
import { type ImpactPreview, ImpactSection, type TriedForm, TryRouting } from './routing-try.tsx';
import {
  ButtonForm,
  ErrorSummary,
  type FormValues,
  Notice,
  OrderedItemActions,
  type RefusedForm,
  refusedSlot,
} from './settings-forms.tsx';

export type { RefusedForm } from './settings-forms.tsx';

export interface RoutingSettingsPageProps {
  user: PublicUser;
  csrfToken: string;
  /** In order, each with the values its edit form starts with. */
  rules: { rule: RoutingRule; values: FormValues }[];
  channels: ChannelChoice[];
  /** The add form's starting values. */
  newValues: FormValues;
  defaultPolicy: Readonly<Record<string, RoutingAction>>;
  notice?: string;
  failed?: RefusedForm;
  /** The Try routing form after a try. */
  tried?: TriedForm;
  /** A rule's impact, previewed from its form. */
  impact?: ImpactPreview;
}

export function RoutingSettingsPage(p: RoutingSettingsPageProps) {
  const failed = p.failed;
  // The rule form shown again with what was typed: refused, or its impact previewed.
  const shown = failed ?? p.impact?.form;
  const shownSlot = shown
    ? refusedSlot(
        shown.id,
        p.rules.map((r) => r.rule.id),
      )
    : undefined;
  const channelName = new Map(p.channels.map((c) => [c.id, c.name]));
  return (
    <AppLayout title="Routing rules" user={p.user} csrfToken={p.csrfToken} current="routing">
      <h1>Routing rules</h1>
      <Notice text={p.notice} />
      {failed && shownSlot !== undefined && (
        <ErrorSummary
          title={failed.title}
          message={failed.message}
          errors={failed.errors}
          labels={RULE_LABELS}
          idOf={(f) => ruleFieldId(shownSlot, f)}
        />
      )}
      {p.impact && <ImpactSection impact={p.impact} />}
      <p>
        Each new conversation goes to the first enabled rule that matches, from the top. When no rule matches,
        the default policy below decides by intent.
      </p>
      <TryRouting csrfToken={p.csrfToken} tried={p.tried} />
      <section aria-labelledby="rules">
        <h2 id="rules">Rules, in order</h2>
        {p.rules.length === 0 && <p>None yet: the default policy decides.</p>}
        <ol class="settings-list">
          {p.rules.map(({ rule, values }, i) => {
            const what = `rule “${rule.name}”`;
            const editing = shownSlot === i && shown;
            const at = `${RULES_PATH}/${encodeURIComponent(rule.id)}`;
            return (
              <li key={rule.id}>
                <RuleSummary rule={rule} channelName={channelName} />
                <OrderedItemActions
                  at={at}
                  csrfToken={p.csrfToken}
                  what={what}
                  index={i}
                  count={p.rules.length}
                >
                  <ButtonForm
                    action={`${at}/enabled`}
                    csrfToken={p.csrfToken}
                    label={rule.enabled ? 'Disable' : 'Enable'}
                    what={what}
                    fields={{ enabled: rule.enabled ? 'false' : 'true' }}
                  />
                </OrderedItemActions>
                <details open={Boolean(editing)}>
                  <summary>
                    Edit<span class="sr"> {what}</span>
                  </summary>
                  <RuleForm
                    slot={i}
                    itemId={rule.id}
                    values={editing ? shown.values : values}
                    errors={editing ? shown.errors : {}}
                    csrfToken={p.csrfToken}
                    channels={p.channels}
                    submit="Save changes"
                  />
                </details>
              </li>
            );
          })}
        </ol>
        <h3 id="rule-add">Add a rule</h3>
        <p class="hint">New rules are added last; move them up to take precedence.</p>
        <RuleForm
          slot="new"
          values={shownSlot === 'new' && shown ? shown.values : p.newValues}
          errors={shownSlot === 'new' && shown ? shown.errors : {}}
          csrfToken={p.csrfToken}
          channels={p.channels}
          submit="Add rule"
        />
      </section>
      <section aria-labelledby="default-policy">
        <h2 id="default-policy">Default policy</h2>
        <p>Used when no enabled rule matches: the intent the triage model found decides.</p>
        <table class="default-policy">
          <thead>
            <tr>
              <th scope="col">Intent</th>
              <th scope="col">Goes to</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(p.defaultPolicy).map(([intent, action]) => (
              <tr key={intent}>
                <th scope="row">{intent}</th>
                <td>{actionText(action)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </AppLayout>
  );
}

function actionText(a: RoutingAction): string {
  if (a.queue === 'ignore') return `ignored (reason: ${a.ignoreReason ?? '—'})`;
  return `${a.queue} queue${a.team ? `, team ${a.team}` : ''}`;
}

const or = (list: readonly string[]) => list.join(' or ');

function RuleSummary({ rule, channelName }: { rule: RoutingRule; channelName: Map<string, string> }) {
  const c = rule.conditions;
  const when: string[] = [];
  if (c.channelKinds) when.push(`channel kind is ${or(c.channelKinds)}`);
  if (c.channelIds) when.push(`channel is ${or(c.channelIds.map((id) => channelName.get(id) ?? id))}`);
  if (c.intents) when.push(`intent is ${or(c.intents)}`);
  if (c.sentiments) when.push(`sentiment is ${or(c.sentiments)}`);
  if (c.keywords?.any) when.push(`text has any of “${c.keywords.any.join('”, “')}”`);
  if (c.keywords?.all) when.push(`text has all of “${c.keywords.all.join('”, “')}”`);
  if (c.keywords?.none) when.push(`text has none of “${c.keywords.none.join('”, “')}”`);
  if (c.languages) when.push(`language is ${or(c.languages)}`);
  if (c.minPriority) when.push(`priority is ${c.minPriority} or higher`);
  if (c.visibility) when.push(c.visibility === 'private' ? 'private message' : 'public post');
  return (
    <div class="item-summary">
      <p>
        <strong>{rule.name}</strong> {!rule.enabled && <span class="severity">disabled</span>}
      </p>
      <p>
        When {when.length > 0 ? when.join('; ') : 'anything'} → {actionText(rule.action)}
      </p>
    </div>
  );
}
