/**
 * Forum posting: new topics, replies, edits with revision history, staff replies from the inbox
 * and resolution notices. Each accepted post notifies mentioned members and followers, is handed
 * to triage, and invalidates cached anonymous pages in every process (LISTEN/NOTIFY).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { communityRepository } from '../db/repositories/community.ts';
import type { PublicUser } from '../db/repositories/users.ts';
import {
  type CommunityPostKind,
  communityFollows,
  communityNotifications,
  communityPostRevisions,
  communityPosts,
  communityProfiles,
  communityTopics,
  users,
} from '../db/schema/index.ts';
import { ForbiddenError, NotFoundError, RateLimitedError } from '../domain/errors.ts';
import { BUS_CHANNEL } from '../lib/event-bus.ts';
import { mentionedUsernames, renderMarkdown } from '../lib/markdown.ts';
import { ensureProfile } from './community-members.ts';
import {
  isModerator,
  isStaff,
  LIMITS,
  normaliseTags,
  slugify,
  spamScore,
  validateBody,
  validateTitle,
} from './community-rules.ts';
import { submitForumPostToTriage, toInboundPost } from './community-triage.ts';

export type Actor = Pick<PublicUser, 'id' | 'role' | 'displayName' | 'emailVerifiedAt' | 'email'>;

/** Tells every process that forum pages changed (cached anonymous pages are dropped). */
export async function announceCommunityChange(db: Db, topicId?: number): Promise<void> {
  const payload = JSON.stringify({ topic: 'community.changed', topicId: topicId ?? null });
  await db.execute(sql`select pg_notify(${BUS_CHANNEL}, ${payload})`);
}

export async function renderPostHtml(db: Db, body: string): Promise<string> {
  const known = await communityRepository(db).existingUsernames(mentionedUsernames(body));
  return renderMarkdown(body, { mentionHref: (u) => (known.has(u) ? `/community/u/${u}` : undefined) });
}

/** May this user post at all right now? Members need a verified email and no suspension. */
export async function assertMayPost(db: Db, actor: Actor) {
  const profile = await ensureProfile(db, actor);
  if (!isStaff(actor.role) && !actor.emailVerifiedAt) {
    throw new ForbiddenError(
      'email_not_verified',
      'Confirm your email address first (see the mail we sent).',
    );
  }
  if (profile.suspendedUntil && profile.suspendedUntil > new Date()) {
    throw new ForbiddenError('suspended', 'Your account is suspended from posting for now.');
  }
  if (!isStaff(actor.role)) {
    const isNew = profile.approvedPosts < LIMITS.newMemberApprovals;
    const repo = communityRepository(db);
    const divisor = isNew ? 3 : 1;
    const [perMinute, perHour] = await Promise.all([
      repo.countRecentPosts(actor.id, new Date(Date.now() - 60_000)),
      repo.countRecentPosts(actor.id, new Date(Date.now() - 3_600_000)),
    ]);
    if (
      perMinute >= Math.ceil(LIMITS.perMinute / divisor) ||
      perHour >= Math.ceil(LIMITS.perHour / divisor)
    ) {
      throw new RateLimitedError(
        'posting_too_fast',
        'You are posting very fast. Wait a minute and try again.',
      );
    }
  }
  return profile;
}

interface NewPost {
  topicId: number;
  author: Actor;
  username: string;
  body: string;
  kind: CommunityPostKind;
  status: 'visible' | 'pending';
  title?: string;
  replyToPostId?: number | null;
}

async function insertPost(db: Db, p: NewPost) {
  const bodyHtml = await renderPostHtml(db, p.body);
  return db.transaction(async (tx) => {
    const [topic] = await tx
      .select()
      .from(communityTopics)
      .where(eq(communityTopics.id, p.topicId))
      .for('update');
    if (!topic) throw new NotFoundError('topic_not_found', 'No such topic.');
    const [last] = await tx
      .select({ n: communityPosts.postNumber })
      .from(communityPosts)
      .where(eq(communityPosts.topicId, p.topicId))
      .orderBy(desc(communityPosts.postNumber))
      .limit(1);
    const postNumber = (last?.n ?? 0) + 1;
    const searchable = topic.visibility === 'public' && topic.status === 'visible' && p.status === 'visible';
    const [post] = await tx
      .insert(communityPosts)
      .values({
        topicId: p.topicId,
        postNumber,
        authorId: p.author.id,
        kind: p.kind,
        status: p.status,
        body: p.body,
        bodyHtml,
        replyToPostId: p.replyToPostId ?? null,
        categoryId: topic.categoryId,
        solved: topic.acceptedPostId !== null,
        title: postNumber === 1 ? topic.title : null,
        searchable,
      })
      .returning();
    await tx
      .insert(communityPostRevisions)
      .values({ postId: post!.id, revision: 1, body: p.body, editorId: p.author.id });
    if (p.status === 'visible' && postNumber > 1) {
      await tx
        .update(communityTopics)
        .set({ replyCount: sql`${communityTopics.replyCount} + 1`, lastPostedAt: new Date() })
        .where(eq(communityTopics.id, p.topicId));
    }
    await tx
      .insert(communityFollows)
      .values({ topicId: p.topicId, userId: p.author.id })
      .onConflictDoNothing();
    return { topic, post: post! };
  });
}

/** Notifications, triage hand-off and cache invalidation once a post is visible. */
export async function publishPost(db: Db, postId: number, baseUrl: string): Promise<void> {
  const repo = communityRepository(db);
  const post = await repo.postById(postId);
  if (post?.status !== 'visible') return;
  const topic = (await repo.topicById(post.topicId))!;
  const [author] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      role: users.role,
      username: communityProfiles.username,
    })
    .from(users)
    .leftJoin(communityProfiles, eq(communityProfiles.userId, users.id))
    .where(eq(users.id, post.authorId ?? '00000000-0000-0000-0000-000000000000'));
  const notify: (typeof communityNotifications.$inferInsert)[] = [];
  const mentioned = mentionedUsernames(post.body);
  if (mentioned.length) {
    const rows = await db
      .select({ userId: communityProfiles.userId })
      .from(communityProfiles)
      .where(sql`lower(${communityProfiles.username}) in ${mentioned}`);
    for (const r of rows) {
      if (r.userId === post.authorId) continue;
      if (topic.visibility === 'private' && !(await repo.isParticipant(topic.id, r.userId))) continue;
      notify.push({ userId: r.userId, kind: 'mention', topicId: topic.id, postId, actorId: post.authorId });
    }
  }
  if (post.postNumber > 1) {
    const followers = await db
      .select({ userId: communityFollows.userId })
      .from(communityFollows)
      .where(eq(communityFollows.topicId, topic.id));
    for (const f of followers) {
      if (f.userId === post.authorId || notify.some((n) => n.userId === f.userId)) continue;
      notify.push({
        userId: f.userId,
        kind: topic.visibility === 'private' ? 'message' : 'reply',
        topicId: topic.id,
        postId,
        actorId: post.authorId,
      });
    }
  }
  if (notify.length) await db.insert(communityNotifications).values(notify);
  // Customers' posts go to triage; staff posts are our own answers (the inbox shows them already).
  if (author && !isStaff(author.role) && post.kind === 'post') {
    const [first] =
      post.postNumber > 1
        ? await db
            .select({ id: communityPosts.id })
            .from(communityPosts)
            .where(and(eq(communityPosts.topicId, topic.id), eq(communityPosts.postNumber, 1)))
        : [];
    const inbound = await toInboundPost(db, {
      postId,
      topicId: topic.id,
      postNumber: post.postNumber,
      title: topic.title,
      body: post.body,
      createdAt: post.createdAt,
      isPrivate: topic.visibility === 'private',
      author: { id: author.id, username: author.username ?? author.id, displayName: author.displayName },
      url: `${baseUrl}/community/t/${topic.slug}/${topic.id}?post=${post.postNumber}#p${post.postNumber}`,
      replyToPostId: post.replyToPostId,
      firstPostId: first?.id,
    });
    await submitForumPostToTriage(db, inbound);
  }
  await announceCommunityChange(db, topic.id);
}

function needsApproval(actor: Actor, approvedPosts: number, spam: number): boolean {
  if (isStaff(actor.role)) return false;
  return approvedPosts < LIMITS.newMemberApprovals || spam >= 2;
}

export async function createTopic(
  db: Db,
  baseUrl: string,
  actor: Actor,
  input: { categoryId: number | null; title: string; body: string; tags?: string | string[] },
) {
  const profile = await assertMayPost(db, actor);
  const title = validateTitle(input.title);
  const body = validateBody(input.body);
  const spam = spamScore({ title, body, isNewMember: profile.approvedPosts < LIMITS.newMemberApprovals });
  const pending = needsApproval(actor, profile.approvedPosts, spam.score);
  const [topic] = await db
    .insert(communityTopics)
    .values({
      categoryId: input.categoryId,
      title,
      slug: slugify(title),
      authorId: actor.id,
      status: pending ? 'pending' : 'visible',
      tags: normaliseTags(input.tags),
    })
    .returning();
  const { post } = await insertPost(db, {
    topicId: topic!.id,
    author: actor,
    username: profile.username,
    body,
    kind: 'post',
    status: pending ? 'pending' : 'visible',
  });
  if (!pending) await publishPost(db, post.id, baseUrl);
  return { topic: topic!, post, pending, spamReasons: spam.reasons };
}

export async function replyToTopic(
  db: Db,
  baseUrl: string,
  actor: Actor,
  topicId: number,
  input: { body: string; replyToPostId?: number | null },
) {
  const repo = communityRepository(db);
  const topic = await repo.topicById(topicId);
  if (!topic || !(await canRead(db, actor, topic)))
    throw new NotFoundError('topic_not_found', 'No such topic.');
  const profile = await assertMayPost(db, actor);
  const moderator = isModerator(actor.role);
  if (topic.locked && !moderator) throw new ForbiddenError('topic_locked', 'This topic is locked.');
  if (topic.status !== 'visible' && !moderator)
    throw new ForbiddenError('topic_not_open', 'This topic is not open.');
  if (topic.slowModeSeconds > 0 && !moderator) {
    const [mine] = await db
      .select({ at: communityPosts.createdAt })
      .from(communityPosts)
      .where(and(eq(communityPosts.topicId, topicId), eq(communityPosts.authorId, actor.id)))
      .orderBy(desc(communityPosts.id))
      .limit(1);
    if (mine && Date.now() - mine.at.getTime() < topic.slowModeSeconds * 1000) {
      throw new RateLimitedError(
        'slow_mode',
        `Slow mode: one post every ${topic.slowModeSeconds} seconds per member in this topic.`,
      );
    }
  }
  const body = validateBody(input.body);
  const spam = spamScore({ body, isNewMember: profile.approvedPosts < LIMITS.newMemberApprovals });
  const pending = topic.visibility === 'public' && needsApproval(actor, profile.approvedPosts, spam.score);
  const { post } = await insertPost(db, {
    topicId,
    author: actor,
    username: profile.username,
    body,
    kind: isStaff(actor.role) && topic.visibility === 'public' ? 'staff_reply' : 'post',
    status: pending ? 'pending' : 'visible',
    replyToPostId: input.replyToPostId,
  });
  if (!pending) await publishPost(db, post.id, baseUrl);
  return { topic, post, pending };
}

/**
 * Public topics: anyone. Private topics: participants, and staff when the thread belongs to an inbox
 * conversation (a topic taken private). Pending/hidden topics: author + moderators.
 */
export async function canRead(
  db: Db,
  viewer: Pick<Actor, 'id' | 'role'> | undefined,
  topic: typeof communityTopics.$inferSelect,
): Promise<boolean> {
  if (topic.visibility === 'private') {
    if (!viewer) return false;
    if (topic.conversationId && isStaff(viewer.role)) return true;
    return communityRepository(db).isParticipant(topic.id, viewer.id);
  }
  if (topic.status === 'visible') return true;
  return !!viewer && (isModerator(viewer.role) || topic.authorId === viewer.id);
}

/**
 * A staff reply written in the agent inbox, shown in the topic as the staff member (with flair).
 * `kind: 'resolution_notice'` marks the post as the public notice that the case was resolved.
 */
export async function postStaffReply(
  db: Db,
  input: { topicId: number; userId: string; markdown: string; kind?: 'staff_reply' | 'resolution_notice' },
  baseUrl = '',
) {
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user || !isStaff(user.role)) throw new ForbiddenError('not_staff', 'Only staff reply from the inbox.');
  const profile = await ensureProfile(db, user);
  const topic = await communityRepository(db).topicById(input.topicId);
  if (!topic) throw new NotFoundError('topic_not_found', 'No such topic.');
  const { post } = await insertPost(db, {
    topicId: input.topicId,
    author: user,
    username: profile.username,
    body: validateBody(input.markdown),
    kind: input.kind ?? 'staff_reply',
    status: 'visible',
  });
  await publishPost(db, post.id, baseUrl);
  return post;
}

export const postResolutionNotice = (db: Db, input: { topicId: number; userId: string; markdown: string }) =>
  postStaffReply(db, { ...input, kind: 'resolution_notice' });
