/** Pieces shared by the analytics dashboard, drill-down and report pages. */
import type { AnalyticsFilters, BreakdownRow } from '../../db/repositories/analytics.ts';
import type { WorkloadRow } from '../../db/repositories/analytics-more.ts';
import { CHANNEL_KINDS, QUEUES } from '../../domain/types.ts';
import type { AnalyticsReport } from '../../services/analytics.ts';
import {
  formatDuration,
  formatValue,
  type MetricRow,
  metricTable,
} from '../../services/analytics-metrics.ts';

const DAY = 86_400_000;
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** Query string reproducing the filters as a custom period (inclusive end date). */
export function filterQuery(f: AnalyticsFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    period: 'custom',
    from: ymd(f.from),
    to: ymd(new Date(f.to.getTime() - DAY)),
  });
  if (f.channel) q.set('channel', f.channel);
  if (f.queue) q.set('queue', f.queue);
  if (f.team) q.set('team', f.team);
  if (f.agent) q.set('agent', f.agent);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

export const drillHref = (f: AnalyticsFilters, metric: string, more: Record<string, string> = {}) =>
  `/app/analytics/conversations?${filterQuery(f, { metric, ...more })}`;

export function MetricTiles(props: { report: AnalyticsReport; rows?: MetricRow[] }) {
  const rows = props.rows ?? metricTable(props.report);
  return (
    <ul class="tiles">
      {rows.map((m) => (
        <li key={m.key} class="tile" data-metric={m.key}>
          <span class="tile-label">{m.label}</span>
          <span class="tile-value">
            {m.drill ? (
              <a
                href={drillHref(props.report.filters, m.drill)}
                aria-label={`${m.label}: list the conversations`}
              >
                {formatValue(m.value, m.unit, props.report.settings.currency)}
              </a>
            ) : (
              formatValue(m.value, m.unit, props.report.settings.currency)
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

const pctOf = (n: number, d: number) => (d > 0 ? `${((n / d) * 100).toFixed(1)} %` : '—');
const dur = (v: number | null) => (v === null ? '—' : formatDuration(v));

export function BreakdownTable(props: {
  caption: string;
  rows: BreakdownRow[];
  filters: AnalyticsFilters;
  dimension: 'channel' | 'intent' | 'queue' | 'team' | 'agent';
}) {
  const narrow = (key: string) => {
    if (props.dimension === 'intent' || key === '') return null;
    return `/app/analytics?${filterQuery(props.filters, { [props.dimension]: key })}`;
  };
  return (
    <table class="data">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.dimension[0]!.toUpperCase() + props.dimension.slice(1)}</th>
          <th scope="col">Conversations</th>
          <th scope="col">Response rate</th>
          <th scope="col">First response, median</th>
          <th scope="col">First response, average (business)</th>
          <th scope="col">SLA first response</th>
          <th scope="col">Resolved</th>
          <th scope="col">Resolution, average</th>
          <th scope="col">No resolution notice</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => {
          const href = narrow(r.key);
          return (
            <tr key={r.key}>
              <th scope="row">{href ? <a href={href}>{r.label}</a> : r.label}</th>
              <td>{r.conversations}</td>
              <td>{pctOf(r.inboundAnswered, r.inboundNeeding)}</td>
              <td>{dur(r.frtWallMedianS)}</td>
              <td>{dur(r.frtBusinessAvgS)}</td>
              <td>{pctOf(r.slaFirstResponseMet, r.slaFirstResponseMet + r.slaFirstResponseMissed)}</td>
              <td>{r.resolved}</td>
              <td>{dur(r.resolutionWallAvgS)}</td>
              <td>{r.noticeMissing}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function WorkloadTable(props: { caption: string; rows: WorkloadRow[]; who: string }) {
  return (
    <table class="data">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.who}</th>
          <th scope="col">Open now</th>
          <th scope="col">Conversations in period</th>
          <th scope="col">Resolved</th>
          <th scope="col">Agent replies</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{r.openNow}</td>
            <td>{r.conversations}</td>
            <td>{r.resolved}</td>
            <td>{r.agentReplies}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface FilterValues {
  period: string;
  from?: string;
  to?: string;
  channel?: string;
  queue?: string;
  team?: string;
  agent?: string;
}

function Select(props: { name: string; label: string; value?: string; options: Array<[string, string]> }) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name}>
        <option value="">All</option>
        {props.options.map(([v, l]) => (
          <option key={v} value={v} selected={props.value === v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterForm(props: {
  values: FilterValues;
  teams: string[];
  agents: Array<[string, string]>;
}) {
  const v = props.values;
  const periods: Array<[string, string]> = [
    ['7d', 'Last 7 days'],
    ['30d', 'Last 30 days'],
    ['90d', 'Last 90 days'],
    ['365d', 'Last 365 days'],
    ['week', 'Last full week'],
    ['month', 'Last full month'],
    ['custom', 'Custom dates'],
  ];
  return (
    <form method="get" action="/app/analytics" class="filters" aria-label="Filters">
      <label>
        Period{' '}
        <select name="period">
          {periods.map(([p, l]) => (
            <option key={p} value={p} selected={v.period === p}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        From <input type="date" name="from" value={v.from ?? ''} />
      </label>
      <label>
        To <input type="date" name="to" value={v.to ?? ''} />
      </label>
      <Select name="channel" label="Channel" value={v.channel} options={CHANNEL_KINDS.map((c) => [c, c])} />
      <Select name="queue" label="Queue" value={v.queue} options={QUEUES.map((q) => [q, q])} />
      <Select name="team" label="Team" value={v.team} options={props.teams.map((t) => [t, t])} />
      <Select name="agent" label="Agent" value={v.agent} options={props.agents} />
      <button type="submit">Apply</button>
    </form>
  );
}
