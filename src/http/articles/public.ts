/** Public knowledge base and blog: pages, feeds, images and "Was this helpful?" votes. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleKind } from '../../db/schema/index.ts';
import { isDomainError } from '../../domain/errors.ts';
import { articlesFor } from '../../services/articles.ts';
import { ArticleListPage, ArticlePage, KbIndexPage, NotFoundPage } from '../../web/articles/pages.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { atomFeed, rssFeed } from './feeds.ts';
import { forumSearchAvailable } from './forum-search.ts';

const PAGE_SIZE = 20;
const slugParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120 } },
} as const;
const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
    tag: { type: 'string', maxLength: 40 },
  },
} as const;

type SlugReq = FastifyRequest<{
  Params: { slug: string };
  Querystring: { voted?: 'yes' | 'no' | 'limited' };
}>;

export function publicArticleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articlesFor(ctx);
  const baseUrl = ctx.config.baseUrl;
  const viewer = async (req: FastifyRequest) => ({
    user: req.user,
    csrfToken: req.csrfToken,
    forumSearch: forumSearchAvailable(),
  });
  const notFound = async (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(reply, NotFoundPage(await viewer(req)), 404);

  app.get('/kb', { schema: { hide: true, querystring: listQuery } }, async (req, reply) => {
    const { page, tag } = req.query as { page: number; tag?: string };
    if (tag) return list(req, reply, 'kb', { tag, page, title: `Articles tagged #${tag}` });
    const [categories, recent] = await Promise.all([
      articles.categories('kb'),
      articles.listPublic('kb', { limit: 10 }),
    ]);
    return sendPage(reply, KbIndexPage({ ...(await viewer(req)), categories, recent, baseUrl }));
  });

  app.get(
    '/kb/category/:slug',
    { schema: { hide: true, params: slugParams, querystring: listQuery } },
    async (req, reply) => {
      const { slug } = req.params as { slug: string };
      const category = await articles.findCategory('kb', slug);
      if (!category) return notFound(req, reply);
      const { page } = req.query as { page: number };
      return list(req, reply, 'kb', {
        categoryId: category.id,
        page,
        title: category.name,
        intro: category.description,
        base: `/kb/category/${slug}`,
      });
    },
  );

  app.get('/blog', { schema: { hide: true, querystring: listQuery } }, async (req, reply) => {
    const { page, tag } = req.query as { page: number; tag?: string };
    return list(req, reply, 'blog', { tag, page, title: tag ? `Blog posts tagged #${tag}` : 'Blog' });
  });

  async function list(
    req: FastifyRequest,
    reply: FastifyReply,
    kind: ArticleKind,
    o: { categoryId?: string; tag?: string; page: number; title: string; intro?: string; base?: string },
  ) {
    const rows = await articles.listPublic(kind, {
      categoryId: o.categoryId,
      tag: o.tag,
      limit: PAGE_SIZE + 1,
      offset: (o.page - 1) * PAGE_SIZE,
    });
    const base = o.base ?? `/${kind}`;
    return sendPage(
      reply,
      ArticleListPage({
        ...(await viewer(req)),
        title: o.title,
        intro: o.intro,
        articles: rows.slice(0, PAGE_SIZE),
        base,
        page: o.page,
        hasNext: rows.length > PAGE_SIZE,
        params: o.tag ? { tag: o.tag } : undefined,
        feeds: kind === 'blog',
        canonical: `${baseUrl}${base}`,
      }),
    );
  }

  const feedOptions = {
    baseUrl,
    title: 'Earshot blog',
    description: 'News, guides and updates.',
  };
  app.get('/blog/feed.xml', { schema: { hide: true } }, async (_req, reply) => {
    const posts = await articles.listPublic('blog', { limit: 30 });
    return reply
      .header('content-type', 'application/rss+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(rssFeed(posts, feedOptions));
  });
  app.get('/blog/atom.xml', { schema: { hide: true } }, async (_req, reply) => {
    const posts = await articles.listPublic('blog', { limit: 30 });
    return reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(atomFeed(posts, feedOptions));
  });

  app.get(
    '/kb/images/:id',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
      },
    },
    async (req, reply) => {
      const image = await articles.image((req.params as { id: string }).id);
      if (!image) return reply.status(404).send({ error: { code: 'not_found', message: 'No such image.' } });
      return reply
        .header('content-type', image.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${image.sha256}"`)
        .send(image.bytes);
    },
  );

  for (const kind of ['kb', 'blog'] as const) {
    app.get(
      `/${kind}/:slug`,
      {
        schema: {
          hide: true,
          params: slugParams,
          querystring: {
            type: 'object',
            properties: { voted: { type: 'string', enum: ['yes', 'no', 'limited'] } },
          },
        },
      },
      async (req: SlugReq, reply) => {
        let article: Awaited<ReturnType<typeof articles.read>>;
        try {
          article = await articles.read(kind, req.params.slug, req.user?.role);
        } catch (err) {
          if (isDomainError(err) && err.kind === 'not_found') return notFound(req, reply);
          throw err;
        }
        const isPublic = articles.isPublic(article);
        const [related, votes] = await Promise.all([
          articles.relatedArticles(`${article.title} ${article.tags.join(' ')}`, 5, {
            excludeId: article.id,
          }),
          articles.voteCounts(article.id),
        ]);
        if (!isPublic) reply.header('cache-control', 'private, no-store');
        return sendPage(
          reply,
          ArticlePage({
            ...(await viewer(req)),
            article,
            isPublic,
            related,
            votes,
            voted: req.query.voted,
            canonical: `${baseUrl}/${kind}/${article.slug}`,
          }),
        );
      },
    );

    app.post(
      `/${kind}/:slug/helpful`,
      {
        schema: {
          tags: ['articles'],
          summary: `"Was this helpful?" vote on a ${kind === 'kb' ? 'help article' : 'blog post'} (form or JSON)`,
          params: slugParams,
          body: {
            type: 'object',
            required: ['helpful'],
            properties: { helpful: { type: 'string', enum: ['yes', 'no'] }, _csrf: { type: 'string' } },
          },
          response: {
            200: { type: 'object', properties: { yes: { type: 'integer' }, no: { type: 'integer' } } },
          },
        },
      },
      async (req: FastifyRequest<{ Params: { slug: string }; Body: { helpful: 'yes' | 'no' } }>, reply) => {
        const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        const article = await articles.read(kind, req.params.slug).catch(() => undefined);
        if (!article) {
          if (form) return notFound(req, reply);
          return reply
            .status(404)
            .send({ error: { code: 'article_not_found', message: 'No such article.' } });
        }
        const back = (voted: string) => `/${kind}/${article.slug}?voted=${voted}#helpful`;
        try {
          const counts = await articles.vote(article.id, req.body.helpful === 'yes', {
            cookie: req.user ? `user:${req.user.id}` : req.cookies.es_csrf,
            ip: req.ip,
          });
          if (form) return reply.redirect(back(req.body.helpful), 303);
          return counts;
        } catch (err) {
          if (form && isDomainError(err) && err.kind === 'rate_limited')
            return reply.redirect(back('limited'), 303);
          throw err;
        }
      },
    );
  }
}
