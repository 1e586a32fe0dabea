/**
 * The Fastify application: plugins, error handling, sessions, OpenAPI, and every resource's routes.
 * Each resource lives in src/http/<resource>/routes.ts and registers itself here.
 */
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { EARSHOT_VERSION } from '../lib/version.ts';
import { agentSettingsRoutes } from './agent-settings/routes.ts';
import { analyticsRoutes } from './analytics/routes.ts';
import { articleRoutes } from './articles/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { webhookRoutes } from './channels/webhooks.ts';
import { communityRoutes } from './community/routes.ts';
import { composerSettingsRoutes } from './composer-settings/routes.ts';
import { contactRoutes } from './contact/routes.ts';
import type { AppContext } from './context.ts';
import { healthRoutes } from './health/routes.ts';
import { ignoredPostsPageRoutes } from './ignored-posts/page.ts';
import { ignoredPostRoutes } from './ignored-posts/routes.ts';
import { workspaceRoutes } from './inbox/workspace.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { pipelinePageRoutes } from './pipeline/page.ts';
import { pipelineRoutes } from './pipeline/routes.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerNulCharacterFilter } from './plugins/nul-characters.ts';
import { registerSessions } from './plugins/session.ts';
import { routingRuleRoutes } from './routing-rules/routes.ts';
import { routingTryRoutes } from './routing-rules/try-routes.ts';
import { routingSettingsRoutes } from './routing-settings/routes.ts';
import { slaPolicyRoutes } from './sla-policies/routes.ts';
import { slaSettingsRoutes } from './sla-settings/routes.ts';
import { userRoutes } from './users/routes.ts';

/** Route modules added by later work register here: (app, ctx) => void. */
export type RouteModule = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

const CSS = readFileSync(new URL('../web/assets/earshot.css', import.meta.url));

export const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.credentials',
];

export async function buildApp(
  ctx: AppContext,
  options: { logger?: boolean; extraRoutes?: RouteModule[] } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });

  registerErrorHandling(app);
  registerNulCharacterFilter(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Earshot API',
        version: EARSHOT_VERSION,
        description: 'Social customer service: listen, triage, answer, close the loop in public.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'es_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerSessions(app, ctx);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/assets/earshot.css', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CSS),
  );

  healthRoutes(app, ctx);
  metricsRoutes(app, ctx, EARSHOT_VERSION);
  authRoutes(app, ctx);
  userRoutes(app, ctx);
  articleRoutes(app, ctx);
  communityRoutes(app, ctx);
  workspaceRoutes(app, ctx);
  analyticsRoutes(app, ctx);
  contactRoutes(app, ctx);
  routingRuleRoutes(app, ctx);
  routingTryRoutes(app, ctx);
  slaPolicyRoutes(app, ctx);
  channelRoutes(app, ctx);
  composerSettingsRoutes(app, ctx);
  routingSettingsRoutes(app, ctx);
  slaSettingsRoutes(app, ctx);
  agentSettingsRoutes(app, ctx);
  pipelineRoutes(app, ctx);
  pipelinePageRoutes(app, ctx);
  ignoredPostRoutes(app, ctx);
  ignoredPostsPageRoutes(app, ctx);
  await webhookRoutes(app, ctx);
  for (const mod of options.extraRoutes ?? []) await mod(app, ctx);

  return app;
}
