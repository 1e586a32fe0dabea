/**
 * Forum moderation: flags and the review queue, hide/unhide (a neutral public notice replaces the
 * post), approval of new members' posts, lock, slow mode, pin, move/merge/split, and warnings and
 * suspensions — always delivered privately (a private message plus a notification) and logged.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { communityRepository } from '../db/repositories/community.ts';
import {
  auditLog,
  communityFlags,
  communityNotifications,
  communityPosts,
  communityProfiles,
  communitySanctions,
  communityTopics,
  FLAG_REASONS,
  type FlagReason,
  users,
} from '../db/schema/index.ts';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../domain/errors.ts';
import { type Actor, announceCommunityChange, canRead, publishPost } from './community.ts';
import { startPrivateMessage } from './community-actions.ts';
import { ensureProfile } from './community-members.ts';
import { isModerator, LIMITS, slugify, validateTitle } from './community-rules.ts';

function requireModerator(actor: Actor): void {
  if (!isModerator(actor.role)) throw new ForbiddenError('moderators_only', 'Only moderators can do this.');
}

const audit = (db: Db, actor: Actor, action: string, type: string, id: string | number, detail = {}) =>
  db.insert(auditLog).values({ actorId: actor.id, action, subjectType: type, subjectId: String(id), detail });

export async function flagPost(db: Db, actor: Actor, postId: number, reason: string, note = '') {
  if (!FLAG_REASONS.includes(reason as FlagReason))
    throw new InvalidError('invalid_reason', 'Choose a reason.');
  const repo = communityRepository(db);
  const post = await repo.postById(postId);
  const topic = post ? await repo.topicById(post.topicId) : undefined;
  if (!post || !topic || !(await canRead(db, actor, topic)))
    throw new NotFoundError('post_not_found', 'No such post.');
  const inserted = await db
    .insert(communityFlags)
    .values({ postId, reporterId: actor.id, reason: reason as FlagReason, note: note.slice(0, 500) })
    .onConflictDoNothing()
    .returning();
  if (!inserted.length) throw new ConflictError('already_flagged', 'You already flagged this post.');
  const [open] = await db
    .select({ n: count() })
    .from(communityFlags)
    .where(and(eq(communityFlags.postId, postId), eq(communityFlags.status, 'open')));
  if ((open?.n ?? 0) >= LIMITS.autoHideFlags && post.status === 'visible') {
    await setPostStatus(
      db,
      postId,
      'hidden',
      'Hidden after several community flags, waiting for a moderator.',
    );
  }
}

async function setPostStatus(db: Db, postId: number, status: 'visible' | 'hidden', reason: string | null) {
  const repo = communityRepository(db);
  const post = (await repo.postById(postId))!;
  const topic = (await repo.topicById(post.topicId))!;
  const searchable = status === 'visible' && topic.visibility === 'public' && topic.status === 'visible';
  await db
    .update(communityPosts)
    .set({ status, hiddenReason: status === 'hidden' ? reason : null, searchable })
    .where(eq(communityPosts.id, postId));
  if (post.postNumber === 1) {
    await db.update(communityTopics).set({ status }).where(eq(communityTopics.id, topic.id));
    await db
      .update(communityPosts)
      .set({
        searchable: sql`${status === 'visible' && topic.visibility === 'public'} and status = 'visible'`,
      })
      .where(eq(communityPosts.topicId, topic.id));
  }
  await announceCommunityChange(db, topic.id);
}

export async function reviewQueue(db: Db, actor: Actor) {
  requireModerator(actor);
  const flags = await db
    .select({
      flag: communityFlags,
      body: communityPosts.body,
      topicId: communityPosts.topicId,
      status: communityPosts.status,
    })
    .from(communityFlags)
    .innerJoin(communityPosts, eq(communityPosts.id, communityFlags.postId))
    .where(eq(communityFlags.status, 'open'))
    .orderBy(asc(communityFlags.createdAt))
    .limit(100);
  const pending = await db
    .select({ post: communityPosts, author: users.displayName, title: communityTopics.title })
    .from(communityPosts)
    .innerJoin(communityTopics, eq(communityTopics.id, communityPosts.topicId))
    .leftJoin(users, eq(users.id, communityPosts.authorId))
    .where(eq(communityPosts.status, 'pending'))
    .orderBy(asc(communityPosts.id))
    .limit(100);
  return { flags, pending };
}

export async function resolveFlag(db: Db, actor: Actor, flagId: number, decision: 'agree' | 'dismiss') {
  requireModerator(actor);
  const [flag] = await db.select().from(communityFlags).where(eq(communityFlags.id, flagId));
  if (!flag) throw new NotFoundError('flag_not_found', 'No such flag.');
  await db
    .update(communityFlags)
    .set({
      status: decision === 'agree' ? 'agreed' : 'dismissed',
      handledById: actor.id,
      handledAt: new Date(),
    })
    .where(and(eq(communityFlags.postId, flag.postId), eq(communityFlags.status, 'open')));
  if (decision === 'agree') await setPostStatus(db, flag.postId, 'hidden', `Flagged: ${flag.reason}`);
  else {
    const post = await communityRepository(db).postById(flag.postId);
    if (post?.status === 'hidden') await setPostStatus(db, flag.postId, 'visible', null);
  }
  await audit(db, actor, `community.flag.${decision}`, 'community_post', flag.postId, {
    reason: flag.reason,
  });
}

export async function hidePost(db: Db, actor: Actor, postId: number, hidden: boolean, reason = '') {
  requireModerator(actor);
  const post = await communityRepository(db).postById(postId);
  if (!post) throw new NotFoundError('post_not_found', 'No such post.');
  await setPostStatus(db, postId, hidden ? 'hidden' : 'visible', reason.slice(0, 300) || null);
  await audit(db, actor, hidden ? 'community.post.hide' : 'community.post.unhide', 'community_post', postId, {
    reason,
  });
}

/** Approves a pending post (new member or spam-suspected): it becomes public and is published. */
export async function approvePost(db: Db, actor: Actor, postId: number, baseUrl: string) {
  requireModerator(actor);
  const repo = communityRepository(db);
  const post = await repo.postById(postId);
  if (post?.status !== 'pending') throw new NotFoundError('post_not_found', 'No pending post with this id.');
  const topic = (await repo.topicById(post.topicId))!;
  if (post.postNumber === 1)
    await db.update(communityTopics).set({ status: 'visible' }).where(eq(communityTopics.id, topic.id));
  await db
    .update(communityPosts)
    .set({ status: 'visible', searchable: topic.visibility === 'public', createdAt: new Date() })
    .where(eq(communityPosts.id, postId));
  if (post.postNumber > 1) {
    await db
      .update(communityTopics)
      .set({ replyCount: sql`${communityTopics.replyCount} + 1`, lastPostedAt: new Date() })
      .where(eq(communityTopics.id, topic.id));
  }
  if (post.authorId) {
    await db
      .update(communityProfiles)
      .set({ approvedPosts: sql`${communityProfiles.approvedPosts} + 1` })
      .where(eq(communityProfiles.userId, post.authorId));
    await db.insert(communityNotifications).values({
      userId: post.authorId,
      kind: 'approved',
      topicId: topic.id,
      postId,
      text: 'Your post was approved.',
    });
  }
  await audit(db, actor, 'community.post.approve', 'community_post', postId);
  await publishPost(db, postId, baseUrl);
}

export async function updateTopic(
  db: Db,
  actor: Actor,
  topicId: number,
  change: { locked?: boolean; pinned?: boolean; slowModeSeconds?: number; categoryId?: number | null },
) {
  requireModerator(actor);
  const topic = await communityRepository(db).topicById(topicId);
  if (topic?.visibility !== 'public') throw new NotFoundError('topic_not_found', 'No such topic.');
  const set: Partial<typeof communityTopics.$inferInsert> = {};
  if (change.locked !== undefined) set.locked = change.locked;
  if (change.pinned !== undefined) set.pinned = change.pinned;
  if (change.slowModeSeconds !== undefined)
    set.slowModeSeconds = Math.max(0, Math.min(86_400, change.slowModeSeconds));
  if (change.categoryId !== undefined) set.categoryId = change.categoryId;
  await db.update(communityTopics).set(set).where(eq(communityTopics.id, topicId));
  if (change.categoryId !== undefined) {
    await db
      .update(communityPosts)
      .set({ categoryId: change.categoryId })
      .where(eq(communityPosts.topicId, topicId));
  }
  await audit(db, actor, 'community.topic.update', 'community_topic', topicId, change);
  await announceCommunityChange(db, topicId);
}

/** Moves every post of `sourceId` to the end of `targetId`; the source redirects to the target. */
export async function mergeTopics(db: Db, actor: Actor, sourceId: number, targetId: number) {
  requireModerator(actor);
  if (sourceId === targetId) throw new InvalidError('same_topic', 'Choose another topic to merge into.');
  const repo = communityRepository(db);
  const [source, target] = await Promise.all([repo.topicById(sourceId), repo.topicById(targetId)]);
  if (!source || !target || source.visibility !== 'public' || target.visibility !== 'public') {
    throw new NotFoundError('topic_not_found', 'No such topic.');
  }
  await movePosts(db, sourceId, targetId, undefined);
  await db
    .update(communityTopics)
    .set({ mergedIntoId: targetId, status: 'hidden', replyCount: 0 })
    .where(eq(communityTopics.id, sourceId));
  await audit(db, actor, 'community.topic.merge', 'community_topic', sourceId, { into: targetId });
  await announceCommunityChange(db);
}

/** Moves the chosen replies into a new topic with its own title. */
export async function splitTopic(db: Db, actor: Actor, topicId: number, postIds: number[], title: string) {
  requireModerator(actor);
  const source = await communityRepository(db).topicById(topicId);
  if (source?.visibility !== 'public') throw new NotFoundError('topic_not_found', 'No such topic.');
  const clean = validateTitle(title);
  if (!postIds.length) throw new InvalidError('no_posts', 'Choose the posts to split off.');
  const posts = await db
    .select()
    .from(communityPosts)
    .where(and(eq(communityPosts.topicId, topicId), inArray(communityPosts.id, postIds)))
    .orderBy(asc(communityPosts.postNumber));
  if (!posts.length || posts.some((p) => p.postNumber === 1)) {
    throw new InvalidError('bad_split', 'Choose replies of this topic (not the question itself).');
  }
  const [topic] = await db
    .insert(communityTopics)
    .values({
      title: clean,
      slug: slugify(clean),
      categoryId: source.categoryId,
      authorId: posts[0]!.authorId,
    })
    .returning();
  await movePosts(
    db,
    topicId,
    topic!.id,
    posts.map((p) => p.id),
  );
  await db
    .update(communityPosts)
    .set({ title: clean })
    .where(and(eq(communityPosts.topicId, topic!.id), eq(communityPosts.postNumber, 1)));
  await audit(db, actor, 'community.topic.split', 'community_topic', topicId, {
    into: topic!.id,
    posts: postIds,
  });
  await announceCommunityChange(db);
  return topic!;
}

async function movePosts(db: Db, fromId: number, toId: number, ids: number[] | undefined) {
  await db.transaction(async (tx) => {
    const [to] = await tx.select().from(communityTopics).where(eq(communityTopics.id, toId)).for('update');
    const [{ max } = { max: 0 }] = await tx
      .select({ max: sql<number>`coalesce(max(post_number), 0)::int` })
      .from(communityPosts)
      .where(eq(communityPosts.topicId, toId));
    const moving = await tx
      .select({ id: communityPosts.id })
      .from(communityPosts)
      .where(and(eq(communityPosts.topicId, fromId), ids ? inArray(communityPosts.id, ids) : undefined))
      .orderBy(asc(communityPosts.postNumber));
    let n = max;
    for (const p of moving) {
      n++;
      await tx
        .update(communityPosts)
        .set({
          topicId: toId,
          postNumber: -n,
          categoryId: to!.categoryId,
          solved: to!.acceptedPostId !== null,
        })
        .where(eq(communityPosts.id, p.id));
    }
    await tx.execute(
      sql`update community_posts set post_number = -post_number where topic_id = ${toId} and post_number < 0`,
    );
    for (const t of [fromId, toId]) {
      await tx.execute(sql`update community_topics set
        reply_count = greatest(0, (select count(*) from community_posts where topic_id = ${t} and status = 'visible') - 1),
        last_posted_at = coalesce((select max(created_at) from community_posts where topic_id = ${t}), last_posted_at)
        where id = ${t}`);
    }
  });
}

/** Warnings and suspensions: a private message to the member, a notification, and the audit log. */
export async function sanctionMember(
  db: Db,
  baseUrl: string,
  actor: Actor,
  input: { username: string; kind: 'warning' | 'suspension'; reason: string; days?: number },
) {
  requireModerator(actor);
  const reason = input.reason.trim().slice(0, 1000);
  if (!reason) throw new InvalidError('reason_required', 'Give the member a reason.');
  const target = await communityRepository(db).profileByUsername(input.username);
  if (!target) throw new NotFoundError('member_not_found', 'No such member.');
  const until =
    input.kind === 'suspension'
      ? new Date(Date.now() + Math.max(1, Math.min(365, input.days ?? 7)) * 86_400_000)
      : null;
  await db
    .insert(communitySanctions)
    .values({ userId: target.profile.userId, kind: input.kind, reason, until, byId: actor.id });
  if (until)
    await db
      .update(communityProfiles)
      .set({ suspendedUntil: until })
      .where(eq(communityProfiles.userId, target.profile.userId));
  await ensureProfile(db, actor);
  const text =
    input.kind === 'warning'
      ? `A moderator sent you a warning.\n\n${reason}\n\nPlease follow the community guidelines.`
      : `Your account cannot post until ${until!.toISOString().slice(0, 10)}.\n\n${reason}`;
  const topic = await startPrivateMessage(db, baseUrl, actor, {
    to: [target.profile.username],
    title: input.kind === 'warning' ? 'A note from the moderators' : 'Your account is suspended for now',
    body: text,
  });
  await db.insert(communityNotifications).values({
    userId: target.profile.userId,
    kind: input.kind,
    topicId: topic.id,
    actorId: actor.id,
    text:
      input.kind === 'warning' ? 'You received a warning from the moderators.' : 'Your account is suspended.',
  });
  await audit(db, actor, `community.member.${input.kind}`, 'user', target.profile.userId, { reason, until });
  return topic;
}

export async function sanctionsOf(db: Db, actor: Actor, userId: string) {
  requireModerator(actor);
  return db
    .select()
    .from(communitySanctions)
    .where(eq(communitySanctions.userId, userId))
    .orderBy(desc(communitySanctions.id));
}
