/** Public community pages: home, lists, categories, tags, topic. No account needed. Profiles and search: public-member.ts. */

import type { FastifyInstance } from 'fastify';
import { communityRepository, type TopicFilter } from '../../db/repositories/community.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { markdownExcerpt } from '../../lib/markdown.ts';
import { articlesFor } from '../../services/articles.ts';
import { canRead } from '../../services/community.ts';
import { isFollowing } from '../../services/community-actions.ts';
import { privateThreadHref } from '../../services/community-private.ts';
import { LIMITS, pageCount } from '../../services/community-rules.ts';
import { HomePage, TagsPage, TopicListPage } from '../../web/community/lists.tsx';
import { TopicPage } from '../../web/community/topic.tsx';
import { cachedPage, type Forum, page, pageQuery, perms, viewerOf } from './shared.ts';

const FILTER_NAMES: Record<TopicFilter, string> = {
  latest: 'Latest topics',
  top: 'Top topics',
  unanswered: 'Unanswered questions',
  solved: 'Solved questions',
};

const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
    sort: { type: 'string', enum: ['latest', 'top', 'unanswered', 'solved'], default: 'latest' },
  },
} as const;

export function publicRoutes(app: FastifyInstance, forum: Forum): void {
  const repo = communityRepository(forum.db);
  const { baseUrl } = forum;
  const hide = { hide: true };

  app.get('/community', { schema: hide }, async (req, reply) => {
    if (cachedPage(forum, req, reply)) return reply;
    const [categories, latest] = await Promise.all([
      repo.categories(),
      repo.listTopics({ filter: 'latest', page: 1, perPage: 20 }),
    ]);
    return page(
      forum,
      req,
      reply,
      HomePage({ viewer: await viewerOf(forum, req), baseUrl, categories, latest: latest.items }),
    );
  });

  app.get<{ Params: { filter: TopicFilter }; Querystring: { page: number } }>(
    '/community/:filter',
    {
      schema: {
        ...hide,
        params: {
          type: 'object',
          properties: { filter: { type: 'string', enum: ['latest', 'top', 'unanswered', 'solved'] } },
        },
        querystring: pageQuery,
      },
    },
    async (req, reply) => {
      if (cachedPage(forum, req, reply)) return reply;
      const { filter } = req.params;
      const list = await repo.listTopics({ filter, page: req.query.page, perPage: LIMITS.topicsPerPage });
      return page(
        forum,
        req,
        reply,
        TopicListPage({
          viewer: await viewerOf(forum, req),
          baseUrl,
          title: FILTER_NAMES[filter],
          description: `${FILTER_NAMES[filter]} in the community.`,
          path: `/community/${filter}`,
          filter,
          items: list.items,
          page: req.query.page,
          pages: pageCount(list.total, LIMITS.topicsPerPage),
          feed: filter === 'latest' ? '/community/feed' : undefined,
        }),
      );
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { page: number; sort: TopicFilter } }>(
    '/community/c/:slug',
    {
      schema: {
        ...hide,
        params: { type: 'object', properties: { slug: { type: 'string', maxLength: 80 } } },
        querystring: listQuery,
      },
    },
    async (req, reply) => {
      if (cachedPage(forum, req, reply)) return reply;
      const category = await repo.categoryBySlug(req.params.slug);
      if (!category) throw new NotFoundError('category_not_found', 'No such category.');
      const { page: p, sort } = req.query;
      const list = await repo.listTopics({
        filter: sort,
        categoryId: category.id,
        page: p,
        perPage: LIMITS.topicsPerPage,
      });
      return page(
        forum,
        req,
        reply,
        TopicListPage({
          viewer: await viewerOf(forum, req),
          baseUrl,
          title: category.name,
          description: category.description || `Topics in ${category.name}.`,
          path: `/community/c/${category.slug}`,
          filter: sort,
          tabs: true,
          items: list.items,
          page: p,
          pages: pageCount(list.total, LIMITS.topicsPerPage),
          feed: `/community/c/${category.slug}/feed`,
        }),
      );
    },
  );

  app.get('/community/tags', { schema: hide }, async (req, reply) => {
    if (cachedPage(forum, req, reply)) return reply;
    return page(
      forum,
      req,
      reply,
      TagsPage({ viewer: await viewerOf(forum, req), baseUrl, tags: await repo.popularTags() }),
    );
  });

  app.get<{ Params: { tag: string }; Querystring: { page: number; sort: TopicFilter } }>(
    '/community/tags/:tag',
    {
      schema: {
        ...hide,
        params: { type: 'object', properties: { tag: { type: 'string', pattern: '^[a-z0-9-]{1,24}$' } } },
        querystring: listQuery,
      },
    },
    async (req, reply) => {
      if (cachedPage(forum, req, reply)) return reply;
      const { tag } = req.params;
      const list = await repo.listTopics({
        filter: req.query.sort,
        tag,
        page: req.query.page,
        perPage: LIMITS.topicsPerPage,
      });
      return page(
        forum,
        req,
        reply,
        TopicListPage({
          viewer: await viewerOf(forum, req),
          baseUrl,
          title: `Tagged “${tag}”`,
          description: `Topics tagged ${tag}.`,
          path: `/community/tags/${tag}`,
          filter: req.query.sort,
          tabs: true,
          items: list.items,
          page: req.query.page,
          pages: pageCount(list.total, LIMITS.topicsPerPage),
        }),
      );
    },
  );

  app.get<{
    Params: { slug: string; id: number };
    Querystring: { page: number; post?: number; quote?: number };
  }>(
    '/community/t/:slug/:id',
    {
      schema: {
        ...hide,
        params: {
          type: 'object',
          properties: { slug: { type: 'string', maxLength: 100 }, id: { type: 'integer', minimum: 1 } },
        },
        querystring: {
          type: 'object',
          properties: {
            page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 },
            post: { type: 'integer', minimum: 1 },
            quote: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    async (req, reply) => {
      if (cachedPage(forum, req, reply)) return reply;
      const topic = await repo.topicById(req.params.id);
      // A merged topic is hidden; its URL leads to the topic it was merged into.
      if (topic?.mergedIntoId) {
        const target = await repo.topicById(topic.mergedIntoId);
        if (target && (await canRead(forum.db, req.user, target)))
          return reply.redirect(`/community/t/${target.slug}/${target.id}`, 301);
      }
      // Missing, private-to-others and pending topics all answer 404: ids reveal nothing.
      if (!topic || !(await canRead(forum.db, req.user, topic)))
        throw new NotFoundError('topic_not_found', 'No such topic.');
      const base = `/community/t/${topic.slug}/${topic.id}`;
      if (req.params.slug !== topic.slug)
        return reply.redirect(req.url.replace(/^\/community\/t\/[^/]+/, `/community/t/${topic.slug}`), 301);
      if (req.query.post) {
        const p = Math.ceil(req.query.post / LIMITS.postsPerPage);
        return reply.redirect(`${p > 1 ? `${base}?page=${p}` : base}#p${req.query.post}`, 303);
      }
      const p = perms(req);
      const viewer = req.user ? { id: req.user.id, moderator: p.moderator } : undefined;
      const [{ rows, total }, category, following] = await Promise.all([
        repo.topicPosts(topic.id, req.query.page, LIMITS.postsPerPage, viewer),
        topic.categoryId
          ? repo.categories().then((cs) => cs.find((c) => c.id === topic.categoryId))
          : undefined,
        req.user ? isFollowing(forum.db, req.user.id, topic.id) : false,
      ]);
      const pages = pageCount(total, LIMITS.postsPerPage);
      if (req.query.page > pages) throw new NotFoundError('page_not_found', 'No such page.');
      let quote: string | undefined;
      if (req.query.quote && req.user) {
        const quoted = await repo.postById(req.query.quote);
        if (quoted && quoted.topicId === topic.id && quoted.status === 'visible') {
          const author = quoted.authorId ? await repo.profileByUserId(quoted.authorId) : undefined;
          quote = `${author ? `@${author.username} wrote:\n` : ''}${quoted.body
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n')}\n\n`;
        }
      }
      const first = rows.find((r) => r.post.postNumber === 1)?.post;
      return page(
        forum,
        req,
        reply,
        TopicPage({
          view: {
            topic,
            category,
            posts: rows,
            page: req.query.page,
            pages,
            following,
            quote,
            participants:
              topic.visibility === 'private'
                ? (await repo.participants(topic.id)).map((x) => ({ name: x.name, username: x.username }))
                : undefined,
            categories: p.moderator ? await repo.categories() : undefined,
            privateThread: privateThreadHref(topic, req.user),
            related:
              topic.visibility === 'public'
                ? (await articlesFor(forum.ctx).relatedArticles(topic.title, 3)).map((a) => ({
                    title: a.title,
                    path: a.path,
                  }))
                : undefined,
          },
          viewer: await viewerOf(forum, req),
          perms: { ...p, asker: req.user?.id === topic.authorId },
          baseUrl,
          description: first ? markdownExcerpt(first.body, 160) : topic.title,
        }),
      );
    },
  );
}
