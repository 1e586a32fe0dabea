/** Forum reads: categories, topic lists, a topic with a page of posts, profiles, tags, sitemap. */
import { and, asc, count, desc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  communityBadges,
  communityCategories,
  communityParticipants,
  communityPosts,
  communityProfiles,
  communityTopics,
  type Role,
  users,
} from '../schema/index.ts';

export type TopicRow = typeof communityTopics.$inferSelect;
export type PostRow = typeof communityPosts.$inferSelect;
export type CategoryRow = typeof communityCategories.$inferSelect;
export type TopicFilter = 'latest' | 'top' | 'unanswered' | 'solved';

export interface AuthorView {
  id: string | null;
  name: string | null;
  username: string | null;
  role: Role | null;
  reputation: number | null;
}

export interface TopicListItem {
  id: number;
  slug: string;
  title: string;
  categoryId: number | null;
  replyCount: number;
  score: number;
  solved: boolean;
  locked: boolean;
  pinned: boolean;
  tags: string[];
  lastPostedAt: Date;
  createdAt: Date;
  authorName: string | null;
  authorUsername: string | null;
}

const authorCols = {
  id: users.id,
  name: users.displayName,
  username: communityProfiles.username,
  role: users.role,
  reputation: communityProfiles.reputation,
};

const publicTopic = and(eq(communityTopics.visibility, 'public'), eq(communityTopics.status, 'visible'));

export function communityRepository(db: Db) {
  return {
    categories: () => db.select().from(communityCategories).orderBy(asc(communityCategories.position)),

    categoryBySlug: async (slug: string) =>
      (await db.select().from(communityCategories).where(eq(communityCategories.slug, slug)))[0],

    async createCategory(values: { slug: string; name: string; description?: string; position?: number }) {
      const [row] = await db.insert(communityCategories).values(values).returning();
      return row!;
    },

    async listTopics(opts: {
      filter: TopicFilter;
      categoryId?: number;
      tag?: string;
      authorId?: string;
      page: number;
      perPage: number;
    }): Promise<{ items: TopicListItem[]; total: number }> {
      const conds: (SQL | undefined)[] = [publicTopic];
      if (opts.categoryId) conds.push(eq(communityTopics.categoryId, opts.categoryId));
      if (opts.tag) conds.push(sql`${communityTopics.tags} @> array[${opts.tag}]::text[]`);
      if (opts.authorId) conds.push(eq(communityTopics.authorId, opts.authorId));
      if (opts.filter === 'unanswered') conds.push(eq(communityTopics.replyCount, 0));
      if (opts.filter === 'solved') conds.push(sql`${communityTopics.acceptedPostId} is not null`);
      const where = and(...conds);
      const order =
        opts.filter === 'top'
          ? [desc(communityTopics.score), desc(communityTopics.replyCount), desc(communityTopics.id)]
          : [desc(communityTopics.pinned), desc(communityTopics.lastPostedAt)];
      const [items, [total]] = await Promise.all([
        db
          .select({
            id: communityTopics.id,
            slug: communityTopics.slug,
            title: communityTopics.title,
            categoryId: communityTopics.categoryId,
            replyCount: communityTopics.replyCount,
            score: communityTopics.score,
            solved: sql<boolean>`${communityTopics.acceptedPostId} is not null`,
            locked: communityTopics.locked,
            pinned: communityTopics.pinned,
            tags: communityTopics.tags,
            lastPostedAt: communityTopics.lastPostedAt,
            createdAt: communityTopics.createdAt,
            authorName: users.displayName,
            authorUsername: communityProfiles.username,
          })
          .from(communityTopics)
          .leftJoin(users, eq(users.id, communityTopics.authorId))
          .leftJoin(communityProfiles, eq(communityProfiles.userId, communityTopics.authorId))
          .where(where)
          .orderBy(...order)
          .limit(opts.perPage)
          .offset((opts.page - 1) * opts.perPage),
        db.select({ n: count() }).from(communityTopics).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    topicById: async (id: number): Promise<TopicRow | undefined> =>
      (await db.select().from(communityTopics).where(eq(communityTopics.id, id)))[0],

    isParticipant: async (topicId: number, userId: string): Promise<boolean> =>
      (
        await db
          .select({ u: communityParticipants.userId })
          .from(communityParticipants)
          .where(and(eq(communityParticipants.topicId, topicId), eq(communityParticipants.userId, userId)))
      ).length > 0,

    participants: (topicId: number) =>
      db
        .select({
          id: users.id,
          name: users.displayName,
          username: communityProfiles.username,
          role: users.role,
        })
        .from(communityParticipants)
        .innerJoin(users, eq(users.id, communityParticipants.userId))
        .leftJoin(communityProfiles, eq(communityProfiles.userId, users.id))
        .where(eq(communityParticipants.topicId, topicId)),

    /** A page of a topic's posts; pending posts only for moderators and their own author. */
    async topicPosts(
      topicId: number,
      page: number,
      perPage: number,
      viewer?: { id: string; moderator: boolean },
    ) {
      const visibleTo = viewer?.moderator
        ? undefined
        : viewer
          ? sql`(${communityPosts.status} <> 'pending' or ${communityPosts.authorId} = ${viewer.id})`
          : sql`${communityPosts.status} <> 'pending'`;
      const where = and(eq(communityPosts.topicId, topicId), visibleTo);
      const [rows, [total]] = await Promise.all([
        db
          .select({ post: communityPosts, author: authorCols })
          .from(communityPosts)
          .leftJoin(users, eq(users.id, communityPosts.authorId))
          .leftJoin(communityProfiles, eq(communityProfiles.userId, communityPosts.authorId))
          .where(where)
          .orderBy(asc(communityPosts.postNumber))
          .limit(perPage)
          .offset((page - 1) * perPage),
        db.select({ n: count() }).from(communityPosts).where(where),
      ]);
      return { rows: rows as { post: PostRow; author: AuthorView }[], total: total?.n ?? 0 };
    },

    postById: async (id: number): Promise<PostRow | undefined> =>
      (await db.select().from(communityPosts).where(eq(communityPosts.id, id)))[0],

    postsByIds: (ids: number[]) =>
      ids.length
        ? db.select().from(communityPosts).where(inArray(communityPosts.id, ids))
        : Promise.resolve([]),

    profileByUsername: async (username: string) =>
      (
        await db
          .select({ profile: communityProfiles, user: authorCols, createdAt: users.createdAt })
          .from(communityProfiles)
          .innerJoin(users, eq(users.id, communityProfiles.userId))
          .where(sql`lower(${communityProfiles.username}) = lower(${username})`)
      )[0],

    profileByUserId: async (userId: string) =>
      (await db.select().from(communityProfiles).where(eq(communityProfiles.userId, userId)))[0],

    existingUsernames: async (names: string[]): Promise<Set<string>> => {
      if (!names.length) return new Set();
      const rows = await db
        .select({ u: communityProfiles.username, id: communityProfiles.userId })
        .from(communityProfiles)
        .where(sql`lower(${communityProfiles.username}) in ${names.map((n) => n.toLowerCase())}`);
      return new Set(rows.map((r) => r.u.toLowerCase()));
    },

    badgesOf: (userId: string) =>
      db
        .select({ badge: communityBadges.badge, n: count() })
        .from(communityBadges)
        .where(eq(communityBadges.userId, userId))
        .groupBy(communityBadges.badge),

    recentPostsBy: (userId: string, limit = 10) =>
      db
        .select({
          id: communityPosts.id,
          topicId: communityPosts.topicId,
          body: communityPosts.body,
          createdAt: communityPosts.createdAt,
          topicTitle: communityTopics.title,
          topicSlug: communityTopics.slug,
        })
        .from(communityPosts)
        .innerJoin(communityTopics, eq(communityTopics.id, communityPosts.topicId))
        .where(and(eq(communityPosts.authorId, userId), eq(communityPosts.searchable, true)))
        .orderBy(desc(communityPosts.id))
        .limit(limit),

    popularTags: async (limit = 30) =>
      (
        await db.execute<{ tag: string; n: number }>(sql`
          select tag, count(*)::int as n from community_topics, unnest(tags) as tag
          where visibility = 'public' and status = 'visible'
          group by tag order by n desc, tag limit ${limit}`)
      ).rows,

    /** Public topics for sitemap.xml (newest activity first). */
    sitemapTopics: (limit = 50_000) =>
      db
        .select({
          id: communityTopics.id,
          slug: communityTopics.slug,
          lastPostedAt: communityTopics.lastPostedAt,
        })
        .from(communityTopics)
        .where(and(publicTopic, isNull(communityTopics.mergedIntoId)))
        .orderBy(desc(communityTopics.lastPostedAt))
        .limit(limit),

    /** Newest posts of a public topic or category, for feeds. */
    feedPosts: (where: { topicId?: number; categoryId?: number }, limit = 30) =>
      db
        .select({
          post: communityPosts,
          topicTitle: communityTopics.title,
          topicSlug: communityTopics.slug,
          authorName: users.displayName,
        })
        .from(communityPosts)
        .innerJoin(communityTopics, eq(communityTopics.id, communityPosts.topicId))
        .leftJoin(users, eq(users.id, communityPosts.authorId))
        .where(
          and(
            eq(communityPosts.searchable, true),
            where.topicId ? eq(communityPosts.topicId, where.topicId) : undefined,
            where.categoryId
              ? and(eq(communityPosts.categoryId, where.categoryId), eq(communityPosts.postNumber, 1))
              : undefined,
          ),
        )
        .orderBy(desc(communityPosts.id))
        .limit(limit),

    /** Private topics (messages) the user takes part in. */
    messagesOf: (userId: string) =>
      db
        .select({
          id: communityTopics.id,
          title: communityTopics.title,
          lastPostedAt: communityTopics.lastPostedAt,
        })
        .from(communityTopics)
        .innerJoin(
          communityParticipants,
          and(
            eq(communityParticipants.topicId, communityTopics.id),
            eq(communityParticipants.userId, userId),
          ),
        )
        .where(eq(communityTopics.visibility, 'private'))
        .orderBy(desc(communityTopics.lastPostedAt))
        .limit(100),

    countRecentPosts: async (userId: string, since: Date) =>
      (
        await db
          .select({ n: count() })
          .from(communityPosts)
          .where(and(eq(communityPosts.authorId, userId), gt(communityPosts.createdAt, since)))
      )[0]?.n ?? 0,
  };
}

export type CommunityRepository = ReturnType<typeof communityRepository>;
