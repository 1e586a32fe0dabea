/** Authors' pages in the agent app: /app/articles (list), /app/articles/new and /app/articles/:id (editor form). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleWithAuthor } from '../../db/repositories/articles.ts';
import type { ArticleKind } from '../../db/schema/index.ts';
import { isDomainError } from '../../domain/errors.ts';
import { articlesFor, EDITOR_ROLES } from '../../services/articles.ts';
import { ArticleEditorPage, ArticleListPage, type EditorValues } from '../../web/articles/editor.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

const editors = requireRole(...EDITOR_ROLES);
const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const formBody = {
  type: 'object',
  required: ['title', 'body'],
  properties: {
    kind: { type: 'string', enum: ['kb', 'blog'] },
    title: str(200),
    summary: str(500),
    tags: str(300),
    status: { type: 'string', enum: ['draft', 'published', 'scheduled'] },
    publishAt: str(40),
    body: str(100_000),
    _csrf: str(200),
  },
} as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

type FormRoute = { Body: EditorValues & { title: string; body: string }; Params: { id?: string } };
type FormReq = FastifyRequest<FormRoute>;

function valuesOf(a: ArticleWithAuthor): EditorValues {
  return {
    kind: a.kind,
    title: a.title,
    summary: a.summary,
    tags: a.tags.join(', '),
    status: a.status === 'archived' ? 'draft' : a.status,
    publishAt: a.publishAt ? a.publishAt.toISOString().slice(0, 16) : '',
    body: a.body,
  };
}

function inputOf(v: EditorValues & { title: string; body: string }) {
  return {
    title: v.title,
    body: v.body,
    summary: v.summary ?? '',
    tags: (v.tags ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    status: (v.status ?? 'draft') as 'draft' | 'published' | 'scheduled',
    publishAt: v.publishAt ? new Date(`${v.publishAt}Z`) : null,
  };
}

export function articleEditorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articlesFor(ctx);
  const page = (
    req: FastifyRequest,
    reply: FastifyReply,
    props: Omit<Parameters<typeof ArticleEditorPage>[0], 'user' | 'csrfToken'>,
    status = 200,
  ) => sendPage(reply, ArticleEditorPage({ user: req.user!, csrfToken: req.csrfToken, ...props }), status);

  app.get('/app/articles', { preHandler: editors, schema: { hide: true } }, async (req, reply) =>
    sendPage(
      reply,
      ArticleListPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        items: await articles.listForEditor({ limit: 200 }),
      }),
    ),
  );
  app.get('/app/articles/new', { preHandler: editors, schema: { hide: true } }, async (req, reply) =>
    page(req, reply, { values: {} }),
  );
  app.get(
    '/app/articles/:id',
    { preHandler: editors, schema: { hide: true, params: idParams } },
    async (req, reply) => {
      const a = await articles.getForEditor((req.params as { id: string }).id);
      const saved = (req.query as { saved?: string }).saved === '1';
      return page(req, reply, { id: a.id, values: valuesOf(a), publicPath: `/${a.kind}/${a.slug}`, saved });
    },
  );

  const save = async (req: FormReq, reply: FastifyReply) => {
    const id = req.params.id;
    try {
      const a = id
        ? await articles.update(id, inputOf(req.body), req.user!.id)
        : await articles.create(
            { ...inputOf(req.body), kind: (req.body.kind ?? 'kb') as ArticleKind },
            req.user!.id,
          );
      return reply.redirect(`/app/articles/${a.id}?saved=1`, 303);
    } catch (err) {
      if (!isDomainError(err) || err.kind === 'not_found') throw err;
      return page(req, reply, { id, values: req.body, error: err.message }, 400);
    }
  };
  app.post<FormRoute>('/app/articles', { preHandler: editors, schema: { hide: true, body: formBody } }, save);
  app.post<FormRoute>(
    '/app/articles/:id',
    { preHandler: editors, schema: { hide: true, body: formBody, params: idParams } },
    save,
  );
}
