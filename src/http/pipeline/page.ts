/**
 * The pipeline page, /app/settings/pipeline: status figures and the dead letters (supervisors and
 * admins), with plain HTML forms for admins to retry, retry all with one error, or discard — the same
 * service as the API (audited as `via: app`), then back with a notice (303). A dead letter someone
 * retried or discarded meanwhile says so instead of failing. Each dead letter has its own page with all
 * its fields and its stored post (…/dead-letters/:id; an unknown one is a 404 page).
 */
import type { FastifyInstance } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { type OpsActor, payloadJson, pipelineOpsService } from '../../services/pipeline-ops.ts';
import { DeadLetterGonePage, DeadLetterPage } from '../../web/app/dead-letter-page.tsx';
import { PIPELINE_PAGE, PipelinePage } from '../../web/app/pipeline-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { doneOrGone } from '../ordered-list-pages.ts';
import { requireRole } from '../plugins/session.ts';
import { settingsPageRoutes } from '../settings-pages.ts';
import { deadLetterParams } from './routes.ts';

/** `?done=` → the notice shown (never the query text itself). */
const NOTICES: Record<string, string> = {
  retried: 'The dead letter was queued again. If it is still bad, it comes back here as a new dead letter.',
  'retried-all': 'The dead letters with that error were queued again.',
  discarded: 'The dead letter was discarded.',
  gone: 'That dead letter was already retried or discarded.',
};

const csrfOnly = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 200 } } } as const;
const retryAllBody = {
  type: 'object',
  required: ['error'],
  properties: { _csrf: { type: 'string', maxLength: 200 }, error: { type: 'string', maxLength: 1000 } },
} as const;

type IdRoute = { Params: { id: number } };

export function pipelinePageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const ops = pipelineOpsService(ctx.database.db);
  const viewers = requireRole('admin', 'supervisor');
  settingsPageRoutes(app, {
    path: PIPELINE_PAGE,
    viewers,
    notices: NOTICES,
    query: { before: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
    render: async (req, extra) => {
      const before = (req.query as { before?: number }).before;
      const [status, page, errors] = await Promise.all([
        ops.status(),
        ops.deadLetters({ before }),
        ops.frequentErrors(),
      ]);
      return PipelinePage({
        user: req.user!,
        csrfToken: req.csrfToken,
        status,
        deadLetters: page.deadLetters,
        nextBefore: page.nextBefore,
        before,
        errors,
        canEdit: req.user!.role === 'admin',
        notice: extra.notice,
      });
    },
    routes: (scope) => {
      scope.get<IdRoute>(
        `${PIPELINE_PAGE}/dead-letters/:id`,
        { preHandler: viewers, schema: { hide: true, params: deadLetterParams } },
        async (req, reply) => {
          const page = { user: req.user!, csrfToken: req.csrfToken };
          try {
            const deadLetter = await ops.deadLetter(req.params.id);
            return sendPage(
              reply,
              DeadLetterPage({
                ...page,
                deadLetter,
                payloadJson: payloadJson(deadLetter.payload),
                downloadHref: `/api/pipeline/dead-letters/${deadLetter.id}/payload`,
                canEdit: req.user!.role === 'admin',
              }),
            );
          } catch (err) {
            if (!isDomainError(err) || err.kind !== 'not_found') throw err;
            return sendPage(reply, DeadLetterGonePage({ ...page, id: req.params.id }), 404);
          }
        },
      );
      const admin = { preHandler: requireRole('admin') };
      const pageWith = (done: string) => `${PIPELINE_PAGE}?done=${done}`;
      const actor = (id: string): OpsActor => ({ id, via: 'app' });
      const item = { ...admin, schema: { hide: true, params: deadLetterParams, body: csrfOnly } };
      scope.post<IdRoute>(`${PIPELINE_PAGE}/dead-letters/:id/retry`, item, async (req, reply) =>
        doneOrGone(reply, pageWith, 'retried', () => ops.retry(actor(req.user!.id), req.params.id)),
      );
      scope.post<IdRoute>(`${PIPELINE_PAGE}/dead-letters/:id/discard`, item, async (req, reply) =>
        doneOrGone(reply, pageWith, 'discarded', () => ops.discard(actor(req.user!.id), req.params.id)),
      );
      scope.post<{ Body: { error: string } }>(
        `${PIPELINE_PAGE}/retry-all`,
        { ...admin, schema: { hide: true, body: retryAllBody } },
        async (req, reply) => {
          await ops.retryAll(actor(req.user!.id), { error: req.body.error });
          return reply.redirect(pageWith('retried-all'), 303);
        },
      );
    },
  });
}
