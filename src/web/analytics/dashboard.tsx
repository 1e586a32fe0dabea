/** /app/analytics: the supervisor's dashboard. Every number links to the conversations behind it. */
import type { PublicUser } from '../../db/repositories/users.ts';
import type { AnalyticsReport } from '../../services/analytics.ts';
import { formatDuration, formatValue, metricTable } from '../../services/analytics-metrics.ts';
import { Layout } from '../layout.tsx';
import { BarChart, LineChart } from './charts.tsx';
import {
  BreakdownTable,
  drillHref,
  FilterForm,
  type FilterValues,
  filterQuery,
  MetricTiles,
  WorkloadTable,
} from './parts.tsx';

const EXPORTS = [
  'metrics',
  'series',
  'frt_distribution',
  'by_channel',
  'by_intent',
  'by_queue',
  'by_team',
  'by_agent',
  'workload_agents',
  'workload_teams',
  'community',
  'csat',
  'handoffs',
  'roi',
];

const day = (iso: string) => iso.slice(0, 10);

export function AnalyticsDashboard(props: {
  report: AnalyticsReport;
  user: PublicUser;
  csrfToken: string;
  values: FilterValues;
  teams: string[];
  agents: Array<[string, string]>;
}) {
  const r = props.report;
  const f = r.filters;
  const metrics = metricTable(r);
  const pick = (keys: string[]) => metrics.filter((m) => keys.includes(m.key));
  const q = filterQuery(f);
  const pct = (v: number | null) => formatValue(v, 'ratio');
  const last = new Date(f.to.getTime() - 86_400_000).toISOString().slice(0, 10);
  return (
    <Layout title="Analytics" user={props.user} csrfToken={props.csrfToken}>
      <link rel="stylesheet" href="/assets/analytics.css" />
      <h1>Analytics</h1>
      <p class="muted">
        Conversations opened {day(f.from.toISOString())} to {last}
        {f.channel ? `, channel ${f.channel}` : ''}
        {f.queue ? `, queue ${f.queue}` : ''}
        {f.team ? `, team ${f.team}` : ''}
        {f.agent ? ', one agent' : ''}. Figures as of the last rollup{' '}
        {r.rollupAt ? (
          <time dateTime={r.rollupAt}>{r.rollupAt.slice(0, 16).replace('T', ' ')} UTC</time>
        ) : (
          '(never run)'
        )}
        .
      </p>
      <FilterForm values={props.values} teams={props.teams} agents={props.agents} />
      <nav aria-label="Reports and exports" class="report-links">
        <a href={`/app/analytics/report?period=week`}>Weekly report</a>
        <a href={`/app/analytics/report?period=month`}>Monthly report</a>
        <a href={`/app/analytics/report?${q}`}>Report for these filters</a>
        <a href={`/app/analytics/report.pdf?${q}`}>PDF</a>
        <a href={`/api/analytics/report?${q}`}>JSON</a>
        {props.user.role === 'admin' && <a href="/app/analytics/settings">Costs and thresholds</a>}
      </nav>

      <section aria-labelledby="h-glance">
        <h2 id="h-glance">At a glance</h2>
        <MetricTiles
          report={r}
          rows={pick([
            'conversations',
            'frt_median_wall',
            'frt_median_business',
            'response_rate',
            'digital_silence',
            'missing_resolution_notice',
            'sla_first_response',
            'csat',
          ])}
        />
      </section>

      <section aria-labelledby="h-trend" class="grid2">
        <h2 id="h-trend">Over time</h2>
        <LineChart
          id="ch-volume"
          title="Conversations opened per day"
          points={r.series.map((p) => ({ label: p.day, value: p.conversations }))}
        />
        <LineChart
          id="ch-frt"
          title="Average first response time per day"
          points={r.series.map((p) => ({ label: p.day, value: p.frtWallAvgS }))}
          format={formatDuration}
        />
      </section>

      <section aria-labelledby="h-response">
        <h2 id="h-response">Response and resolution</h2>
        <MetricTiles
          report={r}
          rows={pick([
            'frt_p90_wall',
            'frt_p90_business',
            'digital_silence_rate',
            'resolved',
            'resolution_median_wall',
            'resolution_p90_wall',
            'resolution_median_business',
            'sla_next_response',
            'sla_resolution',
            'public_complaints',
          ])}
        />
        <BarChart
          id="ch-frt-dist"
          title="First response time distribution (wall clock)"
          unit="First response within"
          points={r.frtDistribution.map((b) => ({ label: b.label, value: b.count }))}
        />
      </section>

      <section aria-labelledby="h-breakdowns" class="grid2">
        <h2 id="h-breakdowns">Where conversations come from</h2>
        {(['channel', 'intent', 'team', 'agent'] as const).map((dim) => (
          <BarChart
            key={dim}
            id={`ch-by-${dim}`}
            title={`Conversations by ${dim}`}
            unit={dim}
            points={r.breakdowns[dim].map((b) => ({ label: b.label, value: b.conversations }))}
          />
        ))}
      </section>

      <section aria-labelledby="h-tables">
        <h2 id="h-tables">Breakdowns</h2>
        <BreakdownTable caption="By channel" rows={r.breakdowns.channel} filters={f} dimension="channel" />
        <BreakdownTable caption="By intent" rows={r.breakdowns.intent} filters={f} dimension="intent" />
        <BreakdownTable caption="By queue" rows={r.breakdowns.queue} filters={f} dimension="queue" />
        <BreakdownTable caption="By team" rows={r.breakdowns.team} filters={f} dimension="team" />
        <BreakdownTable caption="By agent" rows={r.breakdowns.agent} filters={f} dimension="agent" />
      </section>

      <section aria-labelledby="h-workload" class="grid2">
        <h2 id="h-workload">Workload</h2>
        <WorkloadTable caption="Agents" rows={r.workload.agents} who="Agent" />
        <WorkloadTable caption="Teams" rows={r.workload.teams} who="Team" />
      </section>

      <section aria-labelledby="h-routing">
        <h2 id="h-routing">Marketing, support and routing</h2>
        <MetricTiles
          report={r}
          rows={pick([
            'volume_support',
            'volume_marketing',
            'misrouted',
            'misrouting_rate',
            'social_complaint_share',
          ])}
        />
        <table class="data">
          <caption>Hand-offs between queues</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Hand-offs</th>
            </tr>
          </thead>
          <tbody>
            {r.handoffs.length === 0 && (
              <tr>
                <td colSpan={3}>No hand-offs between queues.</td>
              </tr>
            )}
            {r.handoffs.map((h) => (
              <tr key={`${h.fromQueue}-${h.toQueue}`}>
                <td>{h.fromQueue}</td>
                <td>{h.toQueue}</td>
                <td>{h.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="h-experience" class="grid2">
        <h2 id="h-experience">Customer experience</h2>
        <MetricTiles
          report={r}
          rows={pick([
            'sentiment_shift',
            'sentiment_improved',
            'sentiment_worsened',
            'csat_average',
            'csat_response_rate',
          ])}
        />
        <BarChart
          id="ch-csat"
          title="CSAT scores"
          unit="Score"
          points={r.csat.distribution.map((n, i) => ({ label: `${i + 1} of 5`, value: n }))}
        />
      </section>

      <section aria-labelledby="h-community">
        <h2 id="h-community">Community</h2>
        <BarChart
          id="ch-community"
          title="Forum questions started in the period"
          unit="Answered"
          points={[
            { label: 'By members', value: r.community.answeredByMembers },
            { label: 'By staff', value: r.community.answeredByStaff },
            { label: 'Unanswered', value: r.community.unanswered },
          ]}
        />
        <p>
          Deflection {pct(r.rates.communityDeflection)}; {r.roi.hoursSavedByCommunity.toFixed(1)} agent hours
          saved. <a href={drillHref(f, 'all')}>All conversations in this view</a>
        </p>
      </section>

      <section aria-labelledby="h-export">
        <h2 id="h-export">Export</h2>
        <ul class="exports">
          {EXPORTS.map((t) => (
            <li key={t}>
              <a href={`/api/analytics/export/${t}.csv?${q}`}>{t}.csv</a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
