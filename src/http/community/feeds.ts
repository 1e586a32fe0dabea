/** RSS/Atom feeds, sitemap.xml, similar-topic suggestions and the forum's static assets. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { communityRepository } from '../../db/repositories/community.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { articlesFor } from '../../services/articles.ts';
import { type Feed, renderAtom, renderRss, renderSitemap } from '../../services/community-feeds.ts';
import { similarTopics } from '../../services/community-search.ts';
import type { Forum } from './shared.ts';

const CSS = readFileSync(new URL('../../web/community/forum.css', import.meta.url));
const JS = readFileSync(new URL('../../web/community/forum.js', import.meta.url));

export function feedRoutes(app: FastifyInstance, forum: Forum): void {
  const repo = communityRepository(forum.db);
  const { baseUrl } = forum;

  const sendXml = (req: FastifyRequest, reply: FastifyReply, body: string, type: string) => {
    forum.cache.set(req.url, body, type);
    return reply.header('content-type', type).header('cache-control', 'public, max-age=60').send(body);
  };
  const fromCache = (req: FastifyRequest, reply: FastifyReply) => {
    const hit = forum.cache.get(req.url);
    if (!hit) return false;
    void reply.header('content-type', hit.type).header('cache-control', 'public, max-age=60').send(hit.body);
    return true;
  };
  const sendFeed = (req: FastifyRequest, reply: FastifyReply, feed: Feed, format: 'rss' | 'atom') =>
    format === 'rss'
      ? sendXml(req, reply, renderRss(feed), 'application/rss+xml; charset=utf-8')
      : sendXml(req, reply, renderAtom(feed), 'application/atom+xml; charset=utf-8');

  const items = (rows: Awaited<ReturnType<typeof repo.feedPosts>>) =>
    rows.map((r) => ({
      title: r.post.postNumber === 1 ? r.topicTitle : `Re: ${r.topicTitle}`,
      link: `${baseUrl}/community/t/${r.topicSlug}/${r.post.topicId}?post=${r.post.postNumber}`,
      id: `${baseUrl}/community/posts/${r.post.id}`,
      html: r.post.bodyHtml,
      author: r.authorName ?? 'former member',
      published: r.post.createdAt,
    }));
  const formatSchema = { type: 'string', enum: ['rss', 'atom'] } as const;

  app.get<{ Params: { format: 'rss' | 'atom' } }>(
    '/community/feed.:format',
    { schema: { hide: true, params: { type: 'object', properties: { format: formatSchema } } } },
    async (req, reply) => {
      if (fromCache(req, reply)) return reply;
      const rows = await repo.feedPosts({}, 30);
      const list = items(rows.filter((r) => r.post.postNumber === 1));
      return sendFeed(
        req,
        reply,
        {
          title: 'Community: latest',
          link: `${baseUrl}/community`,
          selfLink: `${baseUrl}${req.url}`,
          description: 'Latest posts in the community',
          updated: list[0]?.published ?? new Date(0),
          items: items(rows),
        },
        req.params.format,
      );
    },
  );

  app.get<{ Params: { slug: string; format: 'rss' | 'atom' } }>(
    '/community/c/:slug/feed.:format',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          properties: { slug: { type: 'string', maxLength: 80 }, format: formatSchema },
        },
      },
    },
    async (req, reply) => {
      if (fromCache(req, reply)) return reply;
      const category = await repo.categoryBySlug(req.params.slug);
      if (!category) throw new NotFoundError('category_not_found', 'No such category.');
      const list = items(await repo.feedPosts({ categoryId: category.id }, 30));
      return sendFeed(
        req,
        reply,
        {
          title: `Community: ${category.name}`,
          link: `${baseUrl}/community/c/${category.slug}`,
          selfLink: `${baseUrl}${req.url}`,
          description: category.description || `New topics in ${category.name}`,
          updated: list[0]?.published ?? category.createdAt,
          items: list,
        },
        req.params.format,
      );
    },
  );

  app.get<{ Params: { id: number; format: 'rss' | 'atom' } }>(
    '/community/t/:id/feed.:format',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 }, format: formatSchema } },
      },
    },
    async (req, reply) => {
      if (fromCache(req, reply)) return reply;
      const topic = await repo.topicById(req.params.id);
      if (topic?.visibility !== 'public' || topic.status !== 'visible')
        throw new NotFoundError('topic_not_found', 'No such topic.');
      const list = items(await repo.feedPosts({ topicId: topic.id }, 50));
      return sendFeed(
        req,
        reply,
        {
          title: topic.title,
          link: `${baseUrl}/community/t/${topic.slug}/${topic.id}`,
          selfLink: `${baseUrl}${req.url}`,
          description: `Posts in “${topic.title}”`,
          updated: list[0]?.published ?? topic.createdAt,
          items: list,
        },
        req.params.format,
      );
    },
  );

  app.get('/sitemap.xml', { schema: { hide: true } }, async (req, reply) => {
    if (fromCache(req, reply)) return reply;
    const [categories, topics] = await Promise.all([repo.categories(), repo.sitemapTopics()]);
    const urls = [
      { loc: `${baseUrl}/community` },
      ...categories.map((c) => ({ loc: `${baseUrl}/community/c/${c.slug}` })),
      ...topics.map((t) => ({ loc: `${baseUrl}/community/t/${t.slug}/${t.id}`, lastmod: t.lastPostedAt })),
    ];
    return sendXml(req, reply, renderSitemap(urls), 'application/xml; charset=utf-8');
  });

  app.get<{ Querystring: { title: string } }>(
    '/community/similar',
    {
      schema: {
        tags: ['community'],
        summary: 'Topics similar to a question title (deflection while writing)',
        querystring: {
          type: 'object',
          required: ['title'],
          properties: { title: { type: 'string', maxLength: 150 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              topics: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    slug: { type: 'string' },
                    title: { type: 'string' },
                    solved: { type: 'boolean' },
                    url: { type: 'string' },
                  },
                },
              },
              articles: {
                type: 'array',
                items: { type: 'object', properties: { title: { type: 'string' }, url: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const [topics, articles] = await Promise.all([
        similarTopics(forum.db, req.query.title),
        articlesFor(forum.ctx).suggestArticles(req.query.title, 3),
      ]);
      return {
        topics: topics.map((t) => ({ ...t, url: `/community/t/${t.slug}/${t.id}` })),
        articles: articles.map((a) => ({ title: a.title, url: a.path })),
      };
    },
  );

  app.get('/community/assets/forum.css', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CSS),
  );
  app.get('/community/assets/forum.js', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(JS),
  );
}
