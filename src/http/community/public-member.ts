/** Public community pages about members and finding things: a member's profile, and search. No account needed. */

import type { FastifyInstance } from 'fastify';
import { communityRepository } from '../../db/repositories/community.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { searchPosts } from '../../services/community-search.ts';
import { ProfilePage, SearchPage } from '../../web/community/member.tsx';
import { cachedPage, type Forum, page, perms, viewerOf } from './shared.ts';

/** Page-cache key of the search form's category choices (not a URL: never served as a page). */
const CATEGORY_CHOICES_KEY = '\u0000community-search-categories';

export function memberPublicRoutes(app: FastifyInstance, forum: Forum): void {
  const repo = communityRepository(forum.db);
  const { baseUrl } = forum;
  const hide = { hide: true };

  app.get<{ Params: { username: string } }>(
    '/community/u/:username',
    {
      schema: {
        ...hide,
        params: { type: 'object', properties: { username: { type: 'string', maxLength: 40 } } },
      },
    },
    async (req, reply) => {
      if (cachedPage(forum, req, reply)) return reply;
      const found = await repo.profileByUsername(req.params.username);
      if (!found) throw new NotFoundError('member_not_found', 'No such member.');
      const [badges, posts] = await Promise.all([
        repo.badgesOf(found.profile.userId),
        repo.recentPostsBy(found.profile.userId),
      ]);
      const p = perms(req);
      return page(
        forum,
        req,
        reply,
        ProfilePage({
          viewer: await viewerOf(forum, req),
          baseUrl,
          name: found.user.name ?? found.profile.username,
          username: found.profile.username,
          role: found.user.role,
          reputation: found.profile.reputation,
          since: found.createdAt,
          badges,
          posts,
          canMessage: p.member && req.user?.id !== found.profile.userId,
          moderator: p.moderator,
          csrf: req.csrfToken,
        }),
      );
    },
  );

  /**
   * The search form's category choices, kept in the forum page cache (a few seconds, dropped on
   * any forum change) so a search costs one query.
   */
  const categoryChoices = async (): Promise<{ id: number; name: string }[]> => {
    const hit = forum.cache.get(CATEGORY_CHOICES_KEY);
    if (hit) return JSON.parse(hit.body);
    const rows = (await repo.categories()).map((c) => ({ id: c.id, name: c.name }));
    forum.cache.set(CATEGORY_CHOICES_KEY, JSON.stringify(rows), 'application/json');
    return rows;
  };

  app.get<{
    Querystring: {
      q?: string;
      sort?: 'relevance' | 'newest';
      category?: string;
      author?: string;
      solved?: string;
      page: number;
    };
  }>(
    '/community/search',
    {
      schema: {
        ...hide,
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 200 },
            sort: { type: 'string', enum: ['relevance', 'newest'] },
            category: { type: 'string', pattern: '^[0-9]*$', maxLength: 9 },
            author: { type: 'string', maxLength: 40 },
            solved: { type: 'string', enum: ['', 'yes', 'no'] },
            page: { type: 'integer', minimum: 1, maximum: 50, default: 1 },
          },
        },
      },
    },
    async (req, reply) => {
      const { q = '', sort = 'relevance', category, author, solved, page: pg } = req.query;
      const categoryId = category ? Number(category) : undefined;
      const authorProfile = author ? await repo.profileByUsername(author) : undefined;
      const result =
        q.trim() && (!author || authorProfile)
          ? await searchPosts(forum.db, {
              q,
              sort,
              categoryId,
              authorId: authorProfile?.profile.userId,
              solved: solved === 'yes' ? true : solved === 'no' ? false : undefined,
              page: pg,
            })
          : q.trim()
            ? { hits: [], hasMore: false, estimate: 0, plan: 'none' as const, capped: false }
            : undefined;
      const next = new URLSearchParams(req.query as unknown as Record<string, string>);
      next.set('page', String(pg + 1));
      return page(
        forum,
        req,
        reply,
        SearchPage({
          viewer: await viewerOf(forum, req),
          baseUrl,
          q,
          sort,
          categoryId,
          author,
          solved,
          categories: await categoryChoices(),
          result,
          page: pg,
          nextHref: result?.hasMore && pg < 50 ? `/community/search?${next}` : undefined,
        }),
        false,
      );
    },
  );
}
