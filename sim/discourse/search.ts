/** GET /search.json for the Discourse simulator: all terms must appear (title or body); filters like `order:` and `@user` are accepted and ignored. */
import type { DiscourseStore } from './store.ts';

export function searchResponse(
  store: DiscourseStore,
  q: string,
  page: number,
  pageSize: number,
  viewer: string,
): Record<string, unknown> {
  const terms = [...q.matchAll(/"([^"]+)"|(\S+)/g)]
    .map((m) => (m[1] ?? m[2] ?? '').toLowerCase())
    .filter((t) => t && !t.includes(':') && !t.startsWith('@') && !t.startsWith('#'));
  const hits = store.posts
    .filter((p) => {
      const topic = store.topics.get(p.topicId)!;
      if (p.deletedAt || !store.canSee(topic, viewer) || terms.length === 0) return false;
      const hay = `${topic.title}\n${p.raw}`.toLowerCase();
      return terms.every((t) => hay.includes(t));
    })
    .reverse();
  const slice = hits.slice((page - 1) * pageSize, page * pageSize);
  const posts = slice.map((p) => {
    const user = store.userById(p.userId);
    return {
      id: p.id,
      name: user.name,
      username: user.username,
      avatar_template: `/user_avatar/sim.local/${user.username.toLowerCase()}/{size}/1_2.png`,
      created_at: p.createdAt,
      like_count: 0,
      blurb: p.raw.slice(0, 200),
      post_number: p.postNumber,
      topic_title_headline: store.topics.get(p.topicId)?.title ?? '',
      topic_id: p.topicId,
    };
  });
  return {
    posts,
    users: [],
    categories: [],
    tags: [],
    groups: [],
    grouped_search_result: {
      more_posts: null,
      more_users: null,
      more_categories: null,
      term: q,
      search_log_id: 1,
      more_full_page_results: hits.length > page * pageSize ? true : null,
      can_create_topic: true,
      error: null,
      post_ids: posts.map((p) => p.id),
      user_ids: [],
      category_ids: [],
      tag_ids: [],
      group_ids: [],
    },
  };
}
