/**
 * The public community forum (issue 6). Registered in an encapsulated Fastify scope so form posts
 * and pages get HTML error pages while API calls keep the JSON error format.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { createMailer } from '../../lib/mailer.ts';
import { createPageCache } from '../../services/community-cache.ts';
import { ErrorPage } from '../../web/community/layout.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../plugins/errors.ts';
import { feedRoutes } from './feeds.ts';
import { memberRoutes } from './member.ts';
import { moderationRoutes } from './moderation.ts';
import { publicRoutes } from './public.ts';
import { memberPublicRoutes } from './public-member.ts';
import type { Forum } from './shared.ts';

const STATUS = { not_found: 404, forbidden: 403, conflict: 409, invalid: 400, rate_limited: 429 } as const;

function wantsHtmlError(req: FastifyRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return true;
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function communityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const forum: Forum = {
    ctx,
    db: ctx.database.db,
    baseUrl: ctx.config.baseUrl,
    mailer: createMailer(ctx.database.db, { smtpUrl: ctx.config.smtpUrl, from: ctx.config.mailFrom }),
    cache: createPageCache({ ttlMs: 10_000 }),
  };
  ctx.bus.subscribe('community.changed', () => forum.cache.clear());

  app.register(async (scope) => {
    scope.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
      let status = 500;
      let code = 'internal_error';
      let message = 'Something went wrong on our side.';
      if (isDomainError(err)) {
        status = STATUS[err.kind];
        code = err.code;
        message = err.message;
      } else if (err instanceof HttpError) {
        status = err.statusCode;
        code = err.code;
        message = err.message;
      } else if ('validation' in err && err.validation) {
        status = 400;
        code = 'invalid_request';
        message = err.message;
      } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
        status = err.statusCode;
        code = status === 413 ? 'payload_too_large' : 'bad_request';
        message = err.message;
      }
      if (status >= 500) req.log.error({ err }, 'request failed');
      if (status === 401 && wantsHtmlError(req) && req.method === 'GET') {
        return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      }
      if (wantsHtmlError(req)) {
        const title = status === 404 ? 'Not found' : status === 429 ? 'Slow down' : 'That did not work';
        return sendPage(
          reply,
          ErrorPage({
            viewer: { user: req.user, csrfToken: req.csrfToken },
            title,
            message,
            back: req.headers.referer?.startsWith(forum.baseUrl) ? req.headers.referer : undefined,
          }),
          status,
        );
      }
      return reply.status(status).send({ error: { code, message } });
    });
    publicRoutes(scope, forum);
    memberPublicRoutes(scope, forum);
    memberRoutes(scope, forum);
    moderationRoutes(scope, forum);
    feedRoutes(scope, forum);
  });
}
