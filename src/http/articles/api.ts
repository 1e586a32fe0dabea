/** /api/articles: writing and managing articles (editors), suggestions and links for the composer. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  type ArticleKind,
  type ArticleStatus,
} from '../../db/schema/index.ts';
import { type ArticleWithAuthor, articlesFor, EDITOR_ROLES } from '../../services/articles.ts';
import type { ArticleInput, ArticlePatch } from '../../services/articles-write.ts';
import type { AppContext } from '../context.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';
import { articleImageRoutes } from './images.ts';
import { articleJson, categoryJson, idParams, inputProps, revParams, suggestionJson } from './schemas.ts';

const tags = ['articles'];
const editors = requireRole(...EDITOR_ROLES);
type IdReq<B = unknown, Q = unknown> = FastifyRequest<{ Params: { id: string }; Body: B; Querystring: Q }>;

export function toJson(a: ArticleWithAuthor, baseUrl: string) {
  const { search: _s, ...rest } = a;
  return {
    ...rest,
    url: `${baseUrl}/${a.kind}/${a.slug}`,
    publishAt: a.publishAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function articleApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articlesFor(ctx);
  const json = (a: ArticleWithAuthor) => ({ article: toJson(a, ctx.config.baseUrl) });
  const one = { 200: { type: 'object', properties: { article: articleJson } } };

  app.get(
    '/api/articles',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'List articles and blog posts (all states)',
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: [...ARTICLE_KINDS] },
            status: { type: 'string', enum: [...ARTICLE_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: { type: 'object', properties: { articles: { type: 'array', items: articleJson } } },
        },
      },
    },
    async (
      req: FastifyRequest<{
        Querystring: { kind?: ArticleKind; status?: ArticleStatus; limit: number; offset: number };
      }>,
    ) => ({
      articles: (await articles.listForEditor(req.query)).map((a) => toJson(a, ctx.config.baseUrl)),
    }),
  );

  app.post(
    '/api/articles',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'Create an article or blog post (draft by default; published or scheduled with publishAt)',
        body: {
          type: 'object',
          required: ['kind', 'title', 'body'],
          additionalProperties: false,
          properties: { kind: { type: 'string', enum: [...ARTICLE_KINDS] }, ...inputProps },
        },
        response: { 201: one[200] },
      },
    },
    async (req: FastifyRequest<{ Body: ArticleInput }>, reply) =>
      reply.status(201).send(json(await articles.create(req.body, req.user!.id))),
  );

  app.get(
    '/api/articles/:id',
    {
      preHandler: editors,
      schema: { tags, summary: 'One article with its source', params: idParams, response: one },
    },
    async (req: IdReq) => json(await articles.getForEditor(req.params.id)),
  );

  app.patch(
    '/api/articles/:id',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'Edit an article (a text change makes a new revision)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: inputProps },
        response: one,
      },
    },
    async (req: IdReq<ArticlePatch>) => json(await articles.update(req.params.id, req.body, req.user!.id)),
  );

  app.delete(
    '/api/articles/:id',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: { tags, summary: 'Delete an article', params: idParams, response: { 204: { type: 'null' } } },
    },
    async (req: IdReq, reply) => {
      await articles.remove(req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/articles/:id/publish',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'Publish now, or schedule for `at`',
        params: idParams,
        body: {
          type: ['object', 'null'],
          properties: { at: { type: ['string', 'null'], format: 'date-time' } },
        },
        response: one,
      },
    },
    async (req: IdReq<{ at?: string | null } | null>) =>
      json(await articles.publish(req.params.id, req.user!.id, req.body?.at ?? null)),
  );

  app.post(
    '/api/articles/:id/unpublish',
    { preHandler: editors, schema: { tags, summary: 'Back to draft', params: idParams, response: one } },
    async (req: IdReq) => json(await articles.unpublish(req.params.id, req.user!.id)),
  );

  app.get(
    '/api/articles/:id/revisions',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'Revision history',
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              revisions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    revision: { type: 'integer' },
                    title: { type: 'string' },
                    editorId: { type: ['string', 'null'] },
                    editorName: { type: ['string', 'null'] },
                    createdAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req: IdReq) => ({ revisions: await articles.revisions(req.params.id) }),
  );

  app.get(
    '/api/articles/:id/revisions/:revision',
    {
      preHandler: editors,
      schema: {
        tags,
        summary: 'One revision’s text',
        params: revParams,
        response: {
          200: {
            type: 'object',
            properties: {
              revision: { type: 'integer' },
              title: { type: 'string' },
              summary: { type: 'string' },
              body: { type: 'string' },
              tags: { type: 'array', items: { type: 'string' } },
              createdAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string; revision: number } }>) =>
      articles.revision(req.params.id, req.params.revision),
  );

  app.post(
    '/api/articles/:id/revisions/:revision/restore',
    {
      preHandler: editors,
      schema: { tags, summary: 'Restore a revision (as a new revision)', params: revParams, response: one },
    },
    async (req: FastifyRequest<{ Params: { id: string; revision: number } }>) =>
      json(await articles.restoreRevision(req.params.id, req.params.revision, req.user!.id)),
  );

  app.get(
    '/api/articles/categories',
    {
      schema: {
        tags,
        summary: 'Categories',
        querystring: { type: 'object', properties: { kind: { type: 'string', enum: [...ARTICLE_KINDS] } } },
        response: {
          200: { type: 'object', properties: { categories: { type: 'array', items: categoryJson } } },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { kind?: ArticleKind } }>) => ({
      categories: await articles.categories(req.query.kind),
    }),
  );

  app.post(
    '/api/articles/categories',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: {
        tags,
        summary: 'Create a category',
        body: {
          type: 'object',
          required: ['kind', 'name'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...ARTICLE_KINDS] },
            name: { type: 'string', maxLength: 100 },
            slug: { type: 'string', maxLength: 80 },
            description: { type: 'string', maxLength: 500 },
            position: { type: 'integer' },
          },
        },
        response: { 201: { type: 'object', properties: { category: categoryJson } } },
      },
    },
    async (
      req: FastifyRequest<{
        Body: { kind: ArticleKind; name: string; slug?: string; description?: string; position?: number };
      }>,
      reply,
    ) => reply.status(201).send({ category: await articles.createCategory(req.body) }),
  );

  const suggestSchema = {
    querystring: {
      type: 'object',
      required: ['q'],
      properties: {
        q: { type: 'string', maxLength: 2000 },
        limit: { type: 'integer', minimum: 1, maximum: 20, default: 5 },
      },
    },
    response: { 200: { type: 'object', properties: { articles: { type: 'array', items: suggestionJson } } } },
  } as const;
  type SuggestReq = FastifyRequest<{ Querystring: { q: string; limit: number } }>;

  app.get(
    '/api/articles/suggest',
    {
      preHandler: requireRole(...STAFF_ROLES),
      schema: { tags, summary: 'Articles that may answer a text (composer)', ...suggestSchema },
    },
    async (req: SuggestReq) => ({ articles: await articles.suggestArticles(req.query.q, req.query.limit) }),
  );
  // Public: a member asking a new forum question sees these before posting.
  app.get(
    '/kb/suggest',
    { schema: { tags, summary: 'Help articles that may answer a question (public)', ...suggestSchema } },
    async (req: SuggestReq) => ({ articles: await articles.suggestArticles(req.query.q, req.query.limit) }),
  );

  app.get(
    '/api/articles/:id/link',
    {
      preHandler: requireRole(...STAFF_ROLES),
      schema: {
        tags,
        summary: 'Link or short excerpt fitted to a length (code points)',
        params: idParams,
        querystring: {
          type: 'object',
          required: ['maxLength'],
          properties: { maxLength: { type: 'integer', minimum: 1, maximum: 100000 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              articleId: { type: 'string' },
              title: { type: 'string' },
              url: { type: 'string' },
              text: { type: 'string' },
              withExcerpt: { type: 'boolean' },
              fits: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (req: IdReq<unknown, { maxLength: number }>) =>
      articles.articleLinkFor(req.params.id, req.query.maxLength),
  );

  app.post(
    '/api/articles/:id/link-used',
    {
      preHandler: requireRole(...STAFF_ROLES),
      schema: {
        tags,
        summary: 'Record that a reply used this article’s link',
        params: idParams,
        body: {
          type: 'object',
          properties: { conversationId: { type: ['string', 'null'], format: 'uuid' } },
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (req: IdReq<{ conversationId?: string | null }>, reply) => {
      await articles.getForEditor(req.params.id);
      await articles.recordArticleLinkUsed(req.params.id, req.body.conversationId ?? null);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/articles/stats',
    {
      preHandler: requireRole('admin', 'supervisor', 'marketing'),
      schema: {
        tags,
        summary: 'Deflection: helpful votes and link uses per article',
        querystring: {
          type: 'object',
          properties: { days: { type: 'integer', minimum: 1, maximum: 3650, default: 30 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              articles: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    articleId: { type: 'string' },
                    kind: { type: 'string' },
                    slug: { type: 'string' },
                    title: { type: 'string' },
                    helpfulYes: { type: 'integer' },
                    helpfulNo: { type: 'integer' },
                    linkUses: { type: 'integer' },
                    conversations: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { days: number } }>) => ({
      articles: await articles.stats(new Date(Date.now() - req.query.days * 86_400_000)),
    }),
  );

  articleImageRoutes(app, ctx);
}
