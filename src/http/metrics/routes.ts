/**
 * GET /metrics: the Prometheus scrape endpoint (text exposition 0.0.4). Off unless
 * EARSHOT_METRICS_TOKEN is set; the scraper sends it as `Authorization: Bearer <token>`, compared in
 * constant time. Off → 404 `metrics_disabled`; a missing or wrong token → 401 `metrics_unauthorized`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../plugins/errors.ts';
import { collectMetrics } from './collect.ts';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the configured bearer token (compared as digests, in constant time). */
export function hasMetricsToken(req: FastifyRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

export function metricsRoutes(app: FastifyInstance, ctx: AppContext, version: string): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics: pipeline, queues, SLA clocks, outboxes, channels (bearer token)',
        response: {
          200: {
            description: 'Text exposition format 0.0.4',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (req, reply) => {
      const token = ctx.config.metricsToken;
      if (!token)
        throw new HttpError(
          404,
          'metrics_disabled',
          'Metrics are off: set EARSHOT_METRICS_TOKEN to turn them on.',
        );
      if (!hasMetricsToken(req, token)) {
        reply.header('www-authenticate', 'Bearer realm="earshot-metrics"');
        throw new HttpError(
          401,
          'metrics_unauthorized',
          'Send the metrics token as "Authorization: Bearer <token>".',
        );
      }
      const families = await collectMetrics(ctx.database.db, version);
      return reply
        .type(EXPOSITION_CONTENT_TYPE)
        .header('cache-control', 'no-store')
        .send(renderExposition(families));
    },
  );
}
