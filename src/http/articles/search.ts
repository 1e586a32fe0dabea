/** GET /search: one search box across help articles, the blog and the community forum. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArticleKind } from '../../db/schema/index.ts';
import { articlesFor } from '../../services/articles.ts';
import type { SearchType } from '../../web/articles/parts.tsx';
import { SearchPage } from '../../web/articles/search.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { forumSearchAvailable, searchForum } from './forum-search.ts';

const PAGE = 10;

export function searchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articlesFor(ctx);
  app.get(
    '/search',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 300, default: '' },
            type: { type: 'string', enum: ['all', 'kb', 'blog', 'forum'], default: 'all' },
            page: { type: 'integer', minimum: 1, maximum: 100, default: 1 },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { q: string; type: SearchType; page: number } }>, reply) => {
      const { type, page } = req.query;
      const q = req.query.q.trim();
      const forum = forumSearchAvailable();
      const kinds: ArticleKind[] = type === 'all' ? ['kb', 'blog'] : type === 'forum' ? [] : [type];
      const offset = (page - 1) * PAGE;
      const none = { hits: [], hasMore: false };
      const [hits, forumResult] = q
        ? await Promise.all([
            kinds.length ? articles.search(q, { kinds, limit: PAGE + 1, offset }) : Promise.resolve([]),
            forum && (type === 'all' || type === 'forum')
              ? searchForum(ctx, q, { page, perPage: PAGE })
              : Promise.resolve(none),
          ])
        : [[], none];
      return sendPage(
        reply,
        SearchPage({
          user: req.user,
          csrfToken: req.csrfToken,
          forumSearch: forum,
          q,
          type,
          page,
          articles: hits.slice(0, PAGE),
          forum: forumResult.hits,
          hasNext: hits.length > PAGE || forumResult.hasMore,
        }),
      );
    },
  );
}
