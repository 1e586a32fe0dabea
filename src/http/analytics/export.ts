/** CSV tables of a report, and the PDF of the printable report (headless Chromium). */
import { readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { chromiumPath, launchChromium } from '../../lib/chromium.ts';
import type { AnalyticsReport } from '../../services/analytics.ts';
import { metricTable } from '../../services/analytics-metrics.ts';
import { csvSafe } from './common.ts';

type Row = Record<string, unknown>;

export const CSV_TABLES = {
  metrics: (r: AnalyticsReport): Row[] => metricTable(r).map((m) => ({ ...m })),
  series: (r) => r.series.map((p) => ({ ...p })),
  frt_distribution: (r) => r.frtDistribution.map((b) => ({ ...b })),
  by_channel: (r) => r.breakdowns.channel.map((b) => ({ ...b })),
  by_intent: (r) => r.breakdowns.intent.map((b) => ({ ...b })),
  by_queue: (r) => r.breakdowns.queue.map((b) => ({ ...b })),
  by_team: (r) => r.breakdowns.team.map((b) => ({ ...b })),
  by_agent: (r) => r.breakdowns.agent.map((b) => ({ ...b })),
  workload_agents: (r) => r.workload.agents.map((w) => ({ ...w })),
  workload_teams: (r) => r.workload.teams.map((w) => ({ ...w })),
  community: (r) => [{ ...r.community, deflection: r.rates.communityDeflection }],
  csat: (r) => {
    const { distribution, ...rest } = r.csat;
    return [
      {
        ...rest,
        csat: r.rates.csat,
        ...Object.fromEntries(distribution.map((n, i) => [`score_${i + 1}`, n])),
      },
    ];
  },
  handoffs: (r) => r.handoffs.map((h) => ({ ...h })),
  roi: (r) => [{ ...r.roi }],
} satisfies Record<string, (r: AnalyticsReport) => Row[]>;

export type CsvTable = keyof typeof CSV_TABLES;
export const CSV_TABLE_NAMES = Object.keys(CSV_TABLES) as CsvTable[];

export function toCsv(r: AnalyticsReport, table: CsvTable): string {
  const rows = CSV_TABLES[table](r);
  const columns = rows[0] ? Object.keys(rows[0]) : ['empty'];
  return stringify(
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, csvSafe(v)]))),
    { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false') } },
  );
}

const CSS = [
  readFileSync(new URL('../../web/assets/earshot.css', import.meta.url), 'utf8'),
  readFileSync(new URL('../../web/analytics/analytics.css', import.meta.url), 'utf8'),
].join('\n');

export const ANALYTICS_CSS = readFileSync(new URL('../../web/analytics/analytics.css', import.meta.url));
export const INLINE_REPORT_CSS = CSS;

let queue: Promise<unknown> = Promise.resolve();

/** Print HTML to an A4 PDF. One render at a time per process (Chromium is heavy on 2 cores). */
export function htmlToPdf(html: string, executablePath = chromiumPath()) {
  const run = async (): Promise<Buffer> => {
    const browser = await launchChromium(executablePath);
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
