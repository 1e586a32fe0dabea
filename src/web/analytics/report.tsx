/**
 * The management report (weekly / monthly): a standalone, printable HTML document. The PDF export
 * renders this same document in headless Chromium with the CSS inlined.
 */
import type { AnalyticsReport } from '../../services/analytics.ts';
import { formatValue, metricTable } from '../../services/analytics-metrics.ts';
import { BarChart, LineChart } from './charts.tsx';
import { BreakdownTable, filterQuery, MetricTiles } from './parts.tsx';

const DAY = 86_400_000;

export function reportTitle(r: AnalyticsReport): string {
  const from = r.filters.from.toISOString().slice(0, 10);
  const to = new Date(r.filters.to.getTime() - DAY).toISOString().slice(0, 10);
  const kind = r.period === 'week' ? 'Weekly report' : r.period === 'month' ? 'Monthly report' : 'Report';
  return `${kind}: ${from} to ${to}`;
}

export function AnalyticsReportPage(props: { report: AnalyticsReport; inlineCss?: string }) {
  const r = props.report;
  const metrics = metricTable(r);
  const pick = (keys: string[]) => metrics.filter((m) => keys.includes(m.key));
  const money = (v: number | null) => formatValue(v, 'money', r.roi.currency);
  const title = reportTitle(r);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Earshot`}</title>
        {props.inlineCss ? (
          <style dangerouslySetInnerHTML={{ __html: props.inlineCss }} />
        ) : (
          <>
            <link rel="stylesheet" href="/assets/earshot.css" />
            <link rel="stylesheet" href="/assets/analytics.css" />
          </>
        )}
      </head>
      <body class="report">
        <main id="main">
          <header class="report-head">
            <p class="muted">Earshot · social customer service</p>
            <h1>{title}</h1>
            <p class="muted no-print">
              <a href={`/app/analytics?${filterQuery(r.filters)}`}>Back to the dashboard</a> ·{' '}
              <a href={`/app/analytics/report.pdf?${filterQuery(r.filters, { period: r.period })}`}>
                Download PDF
              </a>
            </p>
          </header>

          <section aria-labelledby="r-summary">
            <h2 id="r-summary">Summary</h2>
            <MetricTiles
              report={r}
              rows={pick([
                'conversations',
                'frt_median_wall',
                'frt_median_business',
                'response_rate',
                'resolved',
                'resolution_median_wall',
                'sla_first_response',
                'sla_resolution',
                'digital_silence',
                'missing_resolution_notice',
                'csat',
                'community_deflection',
              ])}
            />
          </section>

          <section aria-labelledby="r-trend">
            <h2 id="r-trend">Volume</h2>
            <LineChart
              id="r-volume"
              title="Conversations opened per day"
              points={r.series.map((p) => ({ label: p.day, value: p.conversations }))}
            />
          </section>

          <section aria-labelledby="r-roi" class="roi">
            <h2 id="r-roi">Return on investment</h2>
            <table class="data">
              <caption>Cost per resolution and time saved ({r.roi.periodDays} days)</caption>
              <tbody>
                <tr>
                  <th scope="row">Cost of social customer service in the period</th>
                  <td>{money(r.roi.socialCost)}</td>
                </tr>
                <tr>
                  <th scope="row">Resolutions on social channels</th>
                  <td>{r.roi.socialResolutions}</td>
                </tr>
                <tr>
                  <th scope="row">Cost per resolution, social</th>
                  <td>{money(r.roi.socialCostPerResolution)}</td>
                </tr>
                <tr>
                  <th scope="row">Cost per resolution, phone</th>
                  <td>{money(r.roi.phoneCostPerResolution)}</td>
                </tr>
                <tr>
                  <th scope="row">Saving per resolution handled on social</th>
                  <td>{money(r.roi.savingPerResolution)}</td>
                </tr>
                <tr>
                  <th scope="row">Total saving</th>
                  <td>{money(r.roi.totalSaving)}</td>
                </tr>
                <tr>
                  <th scope="row">Forum questions answered by members</th>
                  <td>{r.roi.communityAnswers}</td>
                </tr>
                <tr>
                  <th scope="row">Agent hours saved by community answers</th>
                  <td>{formatValue(r.roi.hoursSavedByCommunity, 'hours')}</td>
                </tr>
                <tr>
                  <th scope="row">Value of the hours saved</th>
                  <td>{money(r.roi.valueOfHoursSaved)}</td>
                </tr>
              </tbody>
            </table>
            {r.roi.socialCost === null && (
              <p class="muted">
                Costs are not set yet: an administrator enters them under Costs and thresholds.
              </p>
            )}
          </section>

          <section aria-labelledby="r-complaints">
            <h2 id="r-complaints">Public complaints</h2>
            <MetricTiles
              report={r}
              rows={pick([
                'public_complaints',
                'digital_silence_rate',
                'social_complaint_share',
                'sentiment_shift',
              ])}
            />
            <p>
              Resolution notices: {r.summary.noticePosted} posted, {r.summary.noticeWaived} waived with a
              reason, <strong>{r.summary.noticeMissing} missing</strong> (should be zero),{' '}
              {r.summary.noticePending} still open.
            </p>
          </section>

          <section aria-labelledby="r-channels">
            <h2 id="r-channels">Channels and teams</h2>
            <BarChart
              id="r-by-channel"
              title="Conversations by channel"
              unit="Channel"
              points={r.breakdowns.channel.map((b) => ({ label: b.label, value: b.conversations }))}
            />
            <BreakdownTable
              caption="By channel"
              rows={r.breakdowns.channel}
              filters={r.filters}
              dimension="channel"
            />
            <BreakdownTable caption="By team" rows={r.breakdowns.team} filters={r.filters} dimension="team" />
          </section>

          <section aria-labelledby="r-all">
            <h2 id="r-all">All metrics</h2>
            <table class="data">
              <caption>Every metric (definitions in docs/METRICS.md)</caption>
              <tbody>
                {metrics.map((m) => (
                  <tr key={m.key}>
                    <th scope="row">{m.label}</th>
                    <td>{formatValue(m.value, m.unit, r.roi.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <footer class="muted">Generated {r.generatedAt.slice(0, 16).replace('T', ' ')} UTC.</footer>
        </main>
      </body>
    </html>
  );
}
