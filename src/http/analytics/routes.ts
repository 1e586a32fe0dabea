/**
 * Analytics: JSON API, CSV export, the dashboard and report pages, and the public CSAT survey.
 * Supervisors and admins read analytics; admins edit costs; staff who reply can send a CSAT survey.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type DrilldownMetric, drilldown } from '../../db/repositories/analytics.ts';
import { runAnalyticsRollup } from '../../jobs/analytics-rollup.ts';
import {
  type AnalyticsSettings,
  buildReport,
  getAnalyticsSettings,
  saveAnalyticsSettings,
} from '../../services/analytics.ts';
import { createCsatSurvey } from '../../services/analytics-csat.ts';
import { metricTable } from '../../services/analytics-metrics.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';
import { ANALYTICS_ROLES, parseFilters } from './common.ts';
import { csatPages } from './csat.ts';
import { CSV_TABLE_NAMES, type CsvTable, toCsv } from './export.ts';
import { analyticsPages } from './pages.ts';
import {
  drilldownQuerySchema,
  drilldownResponseSchema,
  type FilterQuery,
  filterQuerySchema,
  metricRowSchema,
  reportSchema,
  settingsSchema,
} from './schemas.ts';

type DrillQuery = FilterQuery & { metric: DrilldownMetric; limit: number; before?: string };

export function analyticsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const guard = requireRole(...ANALYTICS_ROLES);

  app.get(
    '/api/analytics/report',
    {
      preHandler: guard,
      schema: {
        tags: ['analytics'],
        summary: 'Every analytics figure for a period and filters',
        querystring: filterQuerySchema,
        response: { 200: reportSchema },
      },
    },
    async (req: FastifyRequest<{ Querystring: FilterQuery }>) => {
      const { period, filters } = parseFilters(req.query);
      const report = await buildReport(db, filters, { period });
      return { ...report, metrics: metricTable(report) };
    },
  );

  app.get(
    '/api/analytics/metrics',
    {
      preHandler: guard,
      schema: {
        tags: ['analytics'],
        summary: 'The headline metrics (as on the dashboard tiles), each with its drill-down',
        querystring: filterQuerySchema,
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              metrics: { type: 'array', items: metricRowSchema },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: FilterQuery }>) => {
      const { period, filters } = parseFilters(req.query);
      const report = await buildReport(db, filters, { period });
      return { from: filters.from.toISOString(), to: filters.to.toISOString(), metrics: metricTable(report) };
    },
  );

  app.get(
    '/api/analytics/conversations',
    {
      preHandler: guard,
      schema: {
        tags: ['analytics'],
        summary: 'The conversations behind a metric (drill-down), newest first; page with `before`',
        querystring: drilldownQuerySchema,
        response: { 200: drilldownResponseSchema },
      },
    },
    async (req: FastifyRequest<{ Querystring: DrillQuery }>) => {
      const { filters } = parseFilters(req.query);
      const s = await getAnalyticsSettings(db);
      const limit = req.query.limit ?? 100;
      const rows = await drilldown(db, filters, req.query.metric, {
        silenceHours: s.silenceHours,
        now: new Date(),
        limit,
        before: req.query.before ? new Date(req.query.before) : undefined,
      });
      return {
        conversations: rows,
        nextBefore: rows.length === limit ? (rows.at(-1)?.createdAt ?? null) : null,
      };
    },
  );

  app.get(
    '/api/analytics/export/:file',
    {
      preHandler: guard,
      schema: {
        tags: ['analytics'],
        summary: `CSV export of one table: ${CSV_TABLE_NAMES.map((t) => `${t}.csv`).join(', ')}`,
        params: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', enum: CSV_TABLE_NAMES.map((t) => `${t}.csv`) } },
        },
        querystring: filterQuerySchema,
        response: { 200: { type: 'string', description: 'text/csv' } },
      },
    },
    async (req: FastifyRequest<{ Params: { file: string }; Querystring: FilterQuery }>, reply) => {
      const table = req.params.file.replace(/\.csv$/, '') as CsvTable;
      const { period, filters } = parseFilters(req.query);
      const report = await buildReport(db, filters, { period });
      const name = `earshot-${table}-${filters.from.toISOString().slice(0, 10)}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(toCsv(report, table));
    },
  );

  app.get(
    '/api/analytics/settings',
    {
      preHandler: guard,
      schema: { tags: ['analytics'], summary: 'Costs and thresholds', response: { 200: settingsSchema } },
    },
    async () => getAnalyticsSettings(db),
  );

  app.put(
    '/api/analytics/settings',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['analytics'],
        summary: 'Change costs and thresholds (admin)',
        body: settingsSchema,
        response: { 200: settingsSchema },
      },
    },
    async (req: FastifyRequest<{ Body: Partial<AnalyticsSettings> }>) => saveAnalyticsSettings(db, req.body),
  );

  app.post(
    '/api/analytics/rollup',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['analytics'],
        summary: 'Refresh the analytics rollups now (the job does it every 5 minutes)',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { rebuild: { type: 'boolean' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              conversations: { type: 'integer' },
              days: { type: 'integer' },
              watermark: { type: 'string' },
              skipped: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Body: { rebuild?: boolean } | null }>) =>
      runAnalyticsRollup(db, { rebuild: req.body?.rebuild === true }),
  );

  app.post(
    '/api/analytics/csat-surveys',
    {
      preHandler: requireRole('admin', 'supervisor', 'agent'),
      schema: {
        tags: ['analytics'],
        summary: 'Create a CSAT survey link to send the customer after resolution',
        body: {
          type: 'object',
          required: ['conversationId'],
          additionalProperties: false,
          properties: { conversationId: { type: 'string', format: 'uuid' } },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              url: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Body: { conversationId: string } }>, reply) => {
      const survey = await createCsatSurvey(db, req.body.conversationId, { baseUrl: ctx.config.baseUrl });
      return reply
        .status(201)
        .send({ id: survey.id, url: survey.url, expiresAt: survey.expiresAt.toISOString() });
    },
  );

  analyticsPages(app, ctx);
  csatPages(app, ctx);
}
