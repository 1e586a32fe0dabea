import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

const healthSchema = {
  tags: ['health'],
  response: {
    200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
    503: { type: 'object', properties: { status: { type: 'string' }, reason: { type: 'string' } } },
  },
};

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** Liveness: the process answers. */
  app.get('/healthz', { schema: { ...healthSchema, summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  /** Readiness: the database answers and migrations are applied. */
  app.get(
    '/readyz',
    { schema: { ...healthSchema, summary: 'Readiness (database reachable)' } },
    async (_req, reply) => {
      try {
        await ctx.database.pool.query('select 1 from users limit 1');
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'unavailable', reason: 'database' });
      }
    },
  );
}
