/** Drill-down list, analytics settings (admin) and the public CSAT survey pages. */
import type { AnalyticsFilters, DrilldownRow } from '../../db/repositories/analytics.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import type { AnalyticsSettings } from '../../services/analytics.ts';
import { formatDuration } from '../../services/analytics-metrics.ts';
import { Layout } from '../layout.tsx';
import { filterQuery } from './parts.tsx';

const DAY = 86_400_000;

export function DrilldownPage(props: {
  user: PublicUser;
  csrfToken: string;
  metric: string;
  filters: AnalyticsFilters;
  rows: DrilldownRow[];
  nextBefore: string | null;
}) {
  const f = props.filters;
  const to = new Date(f.to.getTime() - DAY).toISOString().slice(0, 10);
  return (
    <Layout title={`Conversations: ${props.metric}`} user={props.user} csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/analytics.css" />
      <h1>Conversations behind “{props.metric.replaceAll('_', ' ')}”</h1>
      <p class="muted">
        Opened {f.from.toISOString().slice(0, 10)} to {to}.{' '}
        <a href={`/app/analytics?${filterQuery(f)}`}>Back to analytics</a>
      </p>
      <table class="data">
        <caption>
          {props.rows.length} conversation{props.rows.length === 1 ? '' : 's'} on this page, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Conversation</th>
            <th scope="col">Opened</th>
            <th scope="col">Channel</th>
            <th scope="col">Queue</th>
            <th scope="col">Intent</th>
            <th scope="col">Status</th>
            <th scope="col">First response</th>
            <th scope="col">Resolution notice</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <a href={`/app/conversations/${c.id}`}>{c.subject || c.id.slice(0, 8)}</a>
              </th>
              <td>
                <time dateTime={c.createdAt}>{c.createdAt.slice(0, 16).replace('T', ' ')}</time>
              </td>
              <td>{c.channelKind}</td>
              <td>{c.queue}</td>
              <td>{c.intent}</td>
              <td>{c.status}</td>
              <td>{c.frtWallS === null ? '—' : formatDuration(c.frtWallS)}</td>
              <td>{c.resolutionNotice ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.nextBefore && (
        <p>
          <a
            href={`/app/analytics/conversations?${filterQuery(f, { metric: props.metric, before: props.nextBefore })}`}
          >
            Older conversations
          </a>
        </p>
      )}
    </Layout>
  );
}

export function AnalyticsSettingsPage(props: {
  user: PublicUser;
  csrfToken: string;
  settings: AnalyticsSettings;
  saved?: boolean;
  error?: string;
}) {
  const s = props.settings;
  const field = (name: keyof AnalyticsSettings, label: string, step = '0.01') => (
    <>
      <label for={`s-${name}`}>{label}</label>
      <input
        id={`s-${name}`}
        name={name}
        type="number"
        min="0"
        step={step}
        value={s[name] === null ? '' : String(s[name])}
      />
    </>
  );
  return (
    <Layout title="Analytics costs and thresholds" user={props.user} csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/analytics.css" />
      <h1>Costs and thresholds</h1>
      {props.saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/app/analytics/settings" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <label for="s-currency">Currency</label>
        <input id="s-currency" name="currency" value={s.currency} maxLength={8} required />
        {field('silenceHours', 'Digital silence after (hours)', '0.5')}
        {field('socialMonthlyCost', 'Monthly cost of social customer service (people and tools)')}
        {field('phoneCostPerResolution', 'Cost of one resolution on the phone')}
        {field('agentHourlyCost', 'Hourly cost of an agent')}
        {field('minutesPerStaffAnswer', 'Minutes an agent spends on one forum answer', '1')}
        {field('otherContactsPerMonth', 'Contacts per month outside Earshot (phone, other email)', '1')}
        <button type="submit">Save</button>
      </form>
      <p>
        <a href="/app/analytics">Back to analytics</a>
      </p>
    </Layout>
  );
}

export function CsatPage(props: {
  csrfToken: string;
  token: string;
  state: 'open' | 'answered' | 'expired' | 'thanks';
  error?: string;
}) {
  return (
    <Layout title="How did we do?" csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/analytics.css" />
      <h1>How did we do?</h1>
      {props.state === 'thanks' && (
        <p role="status" class="notice">
          Thank you for your answer.
        </p>
      )}
      {props.state === 'answered' && <p>We already have your answer. Thank you.</p>}
      {props.state === 'expired' && <p>This survey has expired.</p>}
      {props.state === 'open' && (
        <form method="post" action={`/csat/${props.token}`} class="stack csat">
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <fieldset>
            <legend>
              How satisfied are you with the help you got? (1 = very unsatisfied, 5 = very satisfied)
            </legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="csat-score">
                <input type="radio" name="score" value={String(n)} required /> {n}
              </label>
            ))}
          </fieldset>
          <label for="csat-comment">Anything you want to tell us? (optional)</label>
          <textarea id="csat-comment" name="comment" maxLength={2000} rows={4} />
          <button type="submit">Send</button>
        </form>
      )}
    </Layout>
  );
}
