/**
 * Discourse serialisers, one per endpoint, each exactly the field set ../shared/specs/discourse/
 * openapi.json declares for that response (the spec is strict: additionalProperties false and
 * long `required` lists). Where the spec types a field unlike Discourse itself (e.g.
 * reply_to_post_number as string|null), the simulator follows the spec.
 */

export interface SimUser {
  id: number;
  username: string;
  name: string;
}

export interface SimTopic {
  id: number;
  title: string;
  slug: string;
  categoryId: number;
  archetype: 'regular' | 'private_message';
  userId: number;
  createdAt: string;
  /** Usernames allowed to read a private message. */
  allowed: string[];
  postIds: number[];
}

export interface SimPost {
  id: number;
  topicId: number;
  postNumber: number;
  userId: number;
  raw: string;
  createdAt: string;
  updatedAt: string;
  replyToPostNumber: number | null;
  deletedAt: string | null;
}

export interface SerialiseContext {
  user: SimUser;
  topic: SimTopic;
  /** The API user the request was made as. */
  viewer: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const cook = (raw: string): string =>
  raw
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
const avatar = (u: SimUser) => `/user_avatar/sim.local/${u.username.toLowerCase()}/{size}/1_2.png`;
export const postUrl = (p: SimPost, t: SimTopic) => `/t/${t.slug}/${t.id}/${p.postNumber}`;

/** Fields every post serialisation shares. */
function base(p: SimPost, { user, topic, viewer }: SerialiseContext): Record<string, unknown> {
  const yours = user.username === viewer;
  return {
    id: p.id,
    name: user.name,
    username: user.username,
    avatar_template: avatar(user),
    created_at: p.createdAt,
    cooked: p.deletedAt ? '<p>(post deleted by author)</p>' : cook(p.raw),
    post_number: p.postNumber,
    post_type: 1,
    updated_at: p.updatedAt,
    reply_count: 0,
    reply_to_post_number: p.replyToPostNumber === null ? null : String(p.replyToPostNumber),
    quote_count: 0,
    incoming_link_count: 0,
    reads: 1,
    readers_count: 0,
    score: 0,
    yours,
    topic_id: topic.id,
    topic_slug: topic.slug,
    display_username: user.name,
    primary_group_name: null,
    flair_name: null,
    flair_url: null,
    flair_bg_color: null,
    flair_color: null,
    version: 1,
    can_edit: yours,
    can_delete: yours,
    can_recover: false,
    can_see_hidden_post: false,
    can_wiki: false,
    user_title: null,
    bookmarked: false,
    actions_summary: [],
    moderator: false,
    admin: false,
    staff: false,
    user_id: user.id,
    hidden: false,
    trust_level: 1,
    deleted_at: p.deletedAt,
    user_deleted: false,
    edit_reason: null,
    can_view_edit_history: true,
    wiki: false,
    reviewable_score_count: 0,
    reviewable_score_pending_count: 0,
  };
}

/** GET /posts.json latest_posts[] */
export function latestPost(p: SimPost, ctx: SerialiseContext): Record<string, unknown> {
  const excerpt = p.raw.slice(0, 300);
  return {
    ...base(p, ctx),
    posts_count: ctx.topic.postIds.length,
    topic_title: ctx.topic.title,
    topic_html_title: escapeHtml(ctx.topic.title),
    category_id: ctx.topic.categoryId,
    flair_group_id: null,
    badges_granted: [],
    raw: p.raw,
    excerpt,
    truncated: excerpt.length < p.raw.length,
    reviewable_id: null,
    post_url: postUrl(p, ctx.topic),
  };
}

/** POST /posts.json */
export function createdPost(
  p: SimPost,
  ctx: SerialiseContext,
  draftSequence: number,
): Record<string, unknown> {
  return {
    ...base(p, ctx),
    raw: p.raw,
    posts_count: ctx.topic.postIds.length,
    flair_group_id: null,
    badges_granted: [],
    draft_sequence: draftSequence,
    reviewable_id: null,
    post_url: postUrl(p, ctx.topic),
    post_localizations: [],
    mentioned_users: [],
  };
}

/** GET /posts/{id}.json */
export function singlePost(p: SimPost, ctx: SerialiseContext): Record<string, unknown> {
  const { can_see_hidden_post: _omit, ...rest } = base(p, ctx);
  return {
    ...rest,
    raw: p.raw,
    posts_count: ctx.topic.postIds.length,
    flair_group_id: null,
    reviewable_id: null,
    post_url: postUrl(p, ctx.topic),
    mentioned_users: [],
  };
}

/** GET /t/{id}.json post_stream.posts[] */
export function topicViewPost(p: SimPost, ctx: SerialiseContext): Record<string, unknown> {
  return { ...base(p, ctx), link_counts: [], read: true, reviewable_id: 0 };
}

/** Webhook `post` payload (WebHookPostSerializer: the post plus topic fields). */
export function webhookPost(p: SimPost, ctx: SerialiseContext): Record<string, unknown> {
  return {
    ...latestPost(p, ctx),
    topic_posts_count: ctx.topic.postIds.length,
    topic_filtered_posts_count: ctx.topic.postIds.length,
    topic_archetype: ctx.topic.archetype,
    category_slug: `category-${ctx.topic.categoryId}`,
  };
}

export function userRef(u: SimUser): Record<string, unknown> {
  return { id: u.id, username: u.username, name: u.name, avatar_template: avatar(u) };
}

/** GET /t/{id}.json */
export function topicView(
  topic: SimTopic,
  posts: SimPost[],
  users: (id: number) => SimUser,
  viewer: string,
): Record<string, unknown> {
  const live = posts.filter((p) => !p.deletedAt);
  const last = live[live.length - 1];
  const creator = users(topic.userId);
  const lastPoster = last ? users(last.userId) : creator;
  return {
    post_stream: {
      posts: posts.map((p) => topicViewPost(p, { user: users(p.userId), topic, viewer })),
      stream: posts.map((p) => p.id),
    },
    timeline_lookup: [],
    suggested_topics: [],
    tags: [],
    tags_descriptions: {},
    id: topic.id,
    title: topic.title,
    fancy_title: escapeHtml(topic.title),
    posts_count: live.length,
    created_at: topic.createdAt,
    views: 1,
    reply_count: Math.max(0, live.length - 1),
    like_count: 0,
    last_posted_at: last?.createdAt ?? null,
    visible: true,
    closed: false,
    archived: false,
    has_summary: false,
    archetype: topic.archetype,
    slug: topic.slug,
    category_id: topic.categoryId,
    word_count: live.reduce((n, p) => n + p.raw.split(/\s+/).length, 0),
    deleted_at: null,
    user_id: topic.userId,
    featured_link: null,
    pinned_globally: false,
    pinned_at: null,
    pinned_until: null,
    image_url: null,
    slow_mode_seconds: 0,
    draft: null,
    draft_key: `topic_${topic.id}`,
    draft_sequence: 0,
    unpinned: null,
    pinned: false,
    current_post_number: 1,
    highest_post_number: posts.length,
    deleted_by: null,
    has_deleted: posts.length !== live.length,
    actions_summary: [],
    chunk_size: 20,
    bookmarked: false,
    bookmarks: [],
    topic_timer: null,
    message_bus_last_id: 0,
    participant_count: new Set(live.map((p) => p.userId)).size,
    show_read_indicator: false,
    thumbnails: null,
    slow_mode_enabled_until: null,
    details: {
      can_edit: false,
      notification_level: 1,
      can_move_posts: false,
      can_delete: false,
      can_remove_allowed_users: false,
      can_create_post: true,
      can_reply_as_new_topic: true,
      can_convert_topic: false,
      can_review_topic: false,
      can_close_topic: false,
      can_archive_topic: false,
      can_split_merge_topic: false,
      can_edit_staff_notes: false,
      can_toggle_topic_visibility: false,
      can_pin_unpin_topic: false,
      can_moderate_category: false,
      can_remove_self_id: 0,
      created_by: userRef(creator),
      last_poster: userRef(lastPoster),
    },
  };
}

/** GET /latest.json topic_list.topics[] */
export function latestTopic(
  topic: SimTopic,
  posts: SimPost[],
  users: (id: number) => SimUser,
): Record<string, unknown> {
  const last = posts[posts.length - 1];
  return {
    id: topic.id,
    title: topic.title,
    fancy_title: escapeHtml(topic.title),
    slug: topic.slug,
    posts_count: posts.length,
    reply_count: Math.max(0, posts.length - 1),
    highest_post_number: posts.length,
    created_at: topic.createdAt,
    last_posted_at: last?.createdAt ?? topic.createdAt,
    bumped: true,
    bumped_at: last?.createdAt ?? topic.createdAt,
    archetype: topic.archetype,
    unseen: false,
    pinned: false,
    unpinned: null,
    visible: true,
    closed: false,
    archived: false,
    bookmarked: false,
    liked: false,
    views: 1,
    like_count: 0,
    has_summary: false,
    last_poster_username: users(last?.userId ?? topic.userId).username,
    category_id: topic.categoryId,
    pinned_globally: false,
    featured_link: null,
    posters: [...new Set(posts.map((p) => p.userId))].map((id, i) => ({
      extras: i === 0 ? 'latest' : '',
      description: i === 0 ? 'Original Poster' : 'Frequent Poster',
      user_id: id,
      primary_group_id: null,
    })),
  };
}
