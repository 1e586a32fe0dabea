/**
 * Forum hits for the one search box (/search), from the community forum's own search
 * (src/services/community-search.ts). A failing forum search never breaks the page: articles
 * still answer.
 */
import { searchPosts } from '../../services/community-search.ts';
import type { ForumHit } from '../../web/articles/search.tsx';
import type { AppContext } from '../context.ts';

export function forumSearchAvailable(): boolean {
  return typeof searchPosts === 'function';
}

/** Forum posts by relevance; `excerpt` keeps the \u0001…\u0002 highlight markers. */
export async function searchForum(
  ctx: AppContext,
  q: string,
  options: { page: number; perPage: number },
): Promise<{ hits: ForumHit[]; hasMore: boolean }> {
  try {
    const result = await searchPosts(ctx.database.db, {
      q,
      sort: 'relevance',
      page: options.page,
      perPage: options.perPage,
    });
    return {
      hits: result.hits.map((h) => ({
        title: h.topicTitle,
        url: `/community/t/${h.topicSlug}/${h.topicId}${h.postNumber > 1 ? `?post=${h.postNumber}` : ''}`,
        excerpt: h.excerpt,
        solved: h.solved,
      })),
      hasMore: result.hasMore,
    };
  } catch (err) {
    ctx.config.logLevel !== 'silent' && console.error('forum search failed', err);
    return { hits: [], hasMore: false };
  }
}
