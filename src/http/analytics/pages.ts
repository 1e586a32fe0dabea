/** HTML pages: dashboard, drill-down, printable report + PDF, and the admin's costs form. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { type DrilldownMetric, drilldown } from '../../db/repositories/analytics.ts';
import { isDomainError } from '../../domain/errors.ts';
import {
  type AnalyticsSettings,
  buildReport,
  getAnalyticsSettings,
  saveAnalyticsSettings,
} from '../../services/analytics.ts';
import { AnalyticsDashboard } from '../../web/analytics/dashboard.tsx';
import { AnalyticsSettingsPage, DrilldownPage } from '../../web/analytics/pages.tsx';
import { AnalyticsReportPage, reportTitle } from '../../web/analytics/report.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { ANALYTICS_ROLES, pageGuard, parseFilters } from './common.ts';
import { ANALYTICS_CSS, htmlToPdf, INLINE_REPORT_CSS } from './export.ts';
import { drilldownQuerySchema, type FilterQuery, filterQuerySchema } from './schemas.ts';

const hidden = { hide: true } as const;

export function analyticsPages(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const guard = pageGuard(...ANALYTICS_ROLES);

  app.get('/assets/analytics.css', { schema: hidden }, async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(ANALYTICS_CSS),
  );

  app.get(
    '/app/analytics',
    { preHandler: guard, schema: { ...hidden, querystring: filterQuerySchema } },
    async (req: FastifyRequest<{ Querystring: FilterQuery }>, reply) => {
      const { period, filters, values } = parseFilters(req.query);
      const report = await buildReport(db, filters, { period });
      const teams = [...new Set(report.workload.teams.map((t) => t.key).filter(Boolean))].sort();
      const agents = report.workload.agents
        .filter((a) => a.key)
        .map((a) => [a.key, a.label] as [string, string]);
      return sendPage(
        reply,
        AnalyticsDashboard({ report, user: req.user!, csrfToken: req.csrfToken, values, teams, agents }),
      );
    },
  );

  app.get(
    '/app/analytics/conversations',
    { preHandler: guard, schema: { ...hidden, querystring: drilldownQuerySchema } },
    async (
      req: FastifyRequest<{
        Querystring: FilterQuery & { metric: DrilldownMetric; limit: number; before?: string };
      }>,
      reply,
    ) => {
      const { filters } = parseFilters(req.query);
      const s = await getAnalyticsSettings(db);
      const limit = req.query.limit ?? 100;
      const rows = await drilldown(db, filters, req.query.metric, {
        silenceHours: s.silenceHours,
        now: new Date(),
        limit,
        before: req.query.before ? new Date(req.query.before) : undefined,
      });
      const nextBefore = rows.length === limit ? (rows.at(-1)?.createdAt ?? null) : null;
      return sendPage(
        reply,
        DrilldownPage({
          user: req.user!,
          csrfToken: req.csrfToken,
          metric: req.query.metric,
          filters,
          rows,
          nextBefore,
        }),
      );
    },
  );

  app.get(
    '/app/analytics/report',
    { preHandler: guard, schema: { ...hidden, querystring: filterQuerySchema } },
    async (req: FastifyRequest<{ Querystring: FilterQuery }>, reply) => {
      const { period, filters } = parseFilters({ period: 'week', ...req.query });
      const report = await buildReport(db, filters, { period });
      return sendPage(reply, AnalyticsReportPage({ report }));
    },
  );

  app.get(
    '/app/analytics/report.pdf',
    { preHandler: guard, schema: { ...hidden, querystring: filterQuerySchema } },
    async (req: FastifyRequest<{ Querystring: FilterQuery }>, reply) => {
      const { period, filters } = parseFilters({ period: 'week', ...req.query });
      const report = await buildReport(db, filters, { period });
      const html = `<!doctype html>${renderToString(AnalyticsReportPage({ report, inlineCss: INLINE_REPORT_CSS }))}`;
      const pdf = await htmlToPdf(html);
      const name = `${reportTitle(report)
        .replace(/[^a-zA-Z0-9-]+/g, '-')
        .toLowerCase()}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(pdf);
    },
  );

  app.get('/app/analytics/settings', { preHandler: pageGuard('admin'), schema: hidden }, async (req, reply) =>
    sendPage(
      reply,
      AnalyticsSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        settings: await getAnalyticsSettings(db),
        saved: (req.query as { saved?: string }).saved === '1',
      }),
    ),
  );

  app.post(
    '/app/analytics/settings',
    { preHandler: pageGuard('admin'), schema: hidden },
    async (req: FastifyRequest<{ Body: Record<string, string> }>, reply) => {
      const b = req.body ?? {};
      const n = (k: string) => (b[k] === undefined || b[k] === '' ? null : Number(b[k]));
      const input: Partial<AnalyticsSettings> = {
        currency: (b.currency ?? 'EUR').trim().slice(0, 8) || 'EUR',
        silenceHours: n('silenceHours') ?? 4,
        socialMonthlyCost: n('socialMonthlyCost'),
        phoneCostPerResolution: n('phoneCostPerResolution'),
        agentHourlyCost: n('agentHourlyCost'),
        minutesPerStaffAnswer: n('minutesPerStaffAnswer') ?? 15,
        otherContactsPerMonth: n('otherContactsPerMonth') ?? 0,
      };
      try {
        await saveAnalyticsSettings(db, input);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        const current = { ...(await getAnalyticsSettings(db)), ...input } as AnalyticsSettings;
        return sendPage(
          reply,
          AnalyticsSettingsPage({
            user: req.user!,
            csrfToken: req.csrfToken,
            settings: current,
            error: e.message,
          }),
          400,
        );
      }
      return reply.redirect('/app/analytics/settings?saved=1', 303);
    },
  );
}
