/** The public CSAT survey: /csat/:token shows a 1–5 form (works without JavaScript) and records the answer. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { answerSurvey, findSurvey } from '../../services/analytics-csat.ts';
import { CsatPage } from '../../web/analytics/pages.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';

const params = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
} as const;

export function csatPages(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/csat/:token',
    { schema: { hide: true, params } },
    async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
      const survey = await findSurvey(db, req.params.token);
      return sendPage(
        reply,
        CsatPage({ csrfToken: req.csrfToken, token: req.params.token, state: survey.state }),
      );
    },
  );

  app.post(
    '/csat/:token',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Answer a CSAT survey (public; form post with _csrf)',
        params,
        body: {
          type: 'object',
          required: ['score'],
          properties: {
            score: { type: 'integer', minimum: 1, maximum: 5 },
            comment: { type: 'string', maxLength: 2000 },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (
      req: FastifyRequest<{ Params: { token: string }; Body: { score: number; comment?: string } }>,
      reply,
    ) => {
      const token = req.params.token;
      try {
        await answerSurvey(db, token, { score: req.body.score, comment: req.body.comment });
      } catch (e) {
        if (!isDomainError(e) || e.kind !== 'conflict') throw e;
        const survey = await findSurvey(db, token);
        return sendPage(reply, CsatPage({ csrfToken: req.csrfToken, token, state: survey.state }), 409);
      }
      return sendPage(reply, CsatPage({ csrfToken: req.csrfToken, token, state: 'thanks' }));
    },
  );
}
