/**
 * Member actions on posts and topics: votes, accepted and official answers (with reputation and
 * badges), follows, edits with revision history, and private messages.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { communityRepository } from '../db/repositories/community.ts';
import {
  auditLog,
  communityBadges,
  communityFollows,
  communityNotifications,
  communityParticipants,
  communityPostRevisions,
  communityPosts,
  communityProfiles,
  communityTopics,
  users,
} from '../db/schema/index.ts';
import { ForbiddenError, InvalidError, NotFoundError } from '../domain/errors.ts';
import {
  type Actor,
  announceCommunityChange,
  assertMayPost,
  canRead,
  publishPost,
  renderPostHtml,
} from './community.ts';
import { isModerator, isStaff, REPUTATION, validateBody, validateTitle } from './community-rules.ts';

async function readablePost(db: Db, actor: Actor | undefined, postId: number) {
  const repo = communityRepository(db);
  const post = await repo.postById(postId);
  const topic = post ? await repo.topicById(post.topicId) : undefined;
  if (!post || !topic || !(await canRead(db, actor, topic)))
    throw new NotFoundError('post_not_found', 'No such post.');
  return { post, topic };
}

const addReputation = (db: Db, userId: string | null, delta: number) =>
  userId
    ? db
        .update(communityProfiles)
        .set({ reputation: sql`${communityProfiles.reputation} + ${delta}` })
        .where(eq(communityProfiles.userId, userId))
    : Promise.resolve();

export async function vote(db: Db, actor: Actor, postId: number, value: 1 | -1 | 0): Promise<number> {
  const { post, topic } = await readablePost(db, actor, postId);
  await assertMayPost(db, actor);
  if (post.authorId === actor.id) throw new ForbiddenError('own_post', 'You cannot vote on your own post.');
  const score = await db.transaction(async (tx) => {
    const prev = await tx.execute<{ value: number }>(
      sql`select value from community_votes where post_id = ${postId} and user_id = ${actor.id} for update`,
    );
    const old = prev.rows[0]?.value ?? 0;
    if (value === 0)
      await tx.execute(sql`delete from community_votes where post_id = ${postId} and user_id = ${actor.id}`);
    else
      await tx.execute(sql`insert into community_votes (post_id, user_id, value) values (${postId}, ${actor.id}, ${value})
        on conflict (post_id, user_id) do update set value = excluded.value`);
    const delta = value - old;
    const [row] = await tx
      .update(communityPosts)
      .set({ score: sql`${communityPosts.score} + ${delta}` })
      .where(eq(communityPosts.id, postId))
      .returning({ score: communityPosts.score });
    if (post.postNumber === 1) {
      await tx.update(communityTopics).set({ score: row!.score }).where(eq(communityTopics.id, topic.id));
    }
    const rep = (v: number) => (v > 0 ? REPUTATION.upvote : v < 0 ? REPUTATION.downvote : 0);
    const repDelta = rep(value) - rep(old);
    if (repDelta && post.authorId) {
      await tx
        .update(communityProfiles)
        .set({ reputation: sql`${communityProfiles.reputation} + ${repDelta}` })
        .where(eq(communityProfiles.userId, post.authorId));
    }
    return row!.score;
  });
  await announceCommunityChange(db, topic.id);
  return score;
}

/** The topic's author (or staff) accepts an answer: solved, reputation and a "helpful" badge. */
export async function acceptAnswer(db: Db, actor: Actor, postId: number | null, topicIdForUnaccept?: number) {
  const repo = communityRepository(db);
  const topic = postId
    ? (await readablePost(db, actor, postId)).topic
    : await repo.topicById(topicIdForUnaccept ?? 0);
  if (topic?.visibility !== 'public') throw new NotFoundError('topic_not_found', 'No such topic.');
  if (topic.authorId !== actor.id && !isStaff(actor.role)) {
    throw new ForbiddenError(
      'not_your_question',
      'Only the person who asked (or staff) can accept an answer.',
    );
  }
  const post = postId ? await repo.postById(postId) : undefined;
  if (post && (post.postNumber === 1 || post.status !== 'visible')) {
    throw new InvalidError('not_an_answer', 'Accept a visible reply, not the question.');
  }
  if (topic.acceptedPostId) {
    const prev = await repo.postById(topic.acceptedPostId);
    if (prev) await addReputation(db, prev.authorId, -REPUTATION.accepted);
  }
  await db
    .update(communityTopics)
    .set({ acceptedPostId: post?.id ?? null })
    .where(eq(communityTopics.id, topic.id));
  await db
    .update(communityPosts)
    .set({ solved: Boolean(post) })
    .where(eq(communityPosts.topicId, topic.id));
  if (post?.authorId) {
    await addReputation(db, post.authorId, REPUTATION.accepted);
    await db
      .insert(communityBadges)
      .values({ userId: post.authorId, badge: 'helpful', postId: post.id })
      .onConflictDoNothing();
    if (post.authorId !== actor.id) {
      await db.insert(communityNotifications).values({
        userId: post.authorId,
        kind: 'accepted',
        topicId: topic.id,
        postId: post.id,
        actorId: actor.id,
        text: 'Your answer was accepted: thank you for helping!',
      });
    }
  }
  await announceCommunityChange(db, topic.id);
}

/** Staff mark an answer as the official one (shown first under the question). */
export async function markOfficial(db: Db, actor: Actor, postId: number, official: boolean) {
  if (!isStaff(actor.role)) throw new ForbiddenError('staff_only', 'Only staff mark official answers.');
  const { post, topic } = await readablePost(db, actor, postId);
  await db
    .update(communityTopics)
    .set({ officialPostId: official ? post.id : null })
    .where(eq(communityTopics.id, topic.id));
  if (official && post.authorId) {
    await db
      .insert(communityBadges)
      .values({ userId: post.authorId, badge: 'official', postId })
      .onConflictDoNothing();
  }
  await announceCommunityChange(db, topic.id);
}

export async function setFollow(db: Db, actor: Actor, topicId: number, follow: boolean) {
  const topic = await communityRepository(db).topicById(topicId);
  if (!topic || !(await canRead(db, actor, topic)))
    throw new NotFoundError('topic_not_found', 'No such topic.');
  if (follow) await db.insert(communityFollows).values({ topicId, userId: actor.id }).onConflictDoNothing();
  else
    await db
      .delete(communityFollows)
      .where(and(eq(communityFollows.topicId, topicId), eq(communityFollows.userId, actor.id)));
}

export async function isFollowing(db: Db, userId: string, topicId: number): Promise<boolean> {
  const rows = await db
    .select({ t: communityFollows.topicId })
    .from(communityFollows)
    .where(and(eq(communityFollows.topicId, topicId), eq(communityFollows.userId, userId)));
  return rows.length > 0;
}

/** Authors edit their own posts; moderators edit any post and must give a reason. */
export async function editPost(
  db: Db,
  actor: Actor,
  postId: number,
  input: { body: string; reason?: string },
) {
  const { post, topic } = await readablePost(db, actor, postId);
  const own = post.authorId === actor.id;
  if (!own && !isModerator(actor.role))
    throw new ForbiddenError('not_your_post', 'You can only edit your own posts.');
  const reason = (input.reason ?? '').trim().slice(0, 300);
  if (!own && !reason) throw new InvalidError('reason_required', 'Say why you edit another member’s post.');
  if (own && topic.locked && !isModerator(actor.role))
    throw new ForbiddenError('topic_locked', 'This topic is locked.');
  const body = validateBody(input.body);
  const bodyHtml = await renderPostHtml(db, body);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(communityPosts)
      .set({ body, bodyHtml, revision: sql`${communityPosts.revision} + 1`, updatedAt: new Date() })
      .where(eq(communityPosts.id, postId))
      .returning({ revision: communityPosts.revision });
    await tx
      .insert(communityPostRevisions)
      .values({ postId, revision: row!.revision, body, reason, editorId: actor.id });
    if (!own) {
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: 'community.post.edit',
        subjectType: 'community_post',
        subjectId: String(postId),
        detail: { reason },
      });
    }
  });
  await announceCommunityChange(db, topic.id);
}

export async function postRevisions(db: Db, viewer: Actor | undefined, postId: number) {
  const { post, topic } = await readablePost(db, viewer, postId);
  if (post.status === 'hidden' && !isModerator(viewer?.role))
    throw new NotFoundError('post_not_found', 'No such post.');
  const revisions = await db
    .select({ r: communityPostRevisions, editor: users.displayName })
    .from(communityPostRevisions)
    .leftJoin(users, eq(users.id, communityPostRevisions.editorId))
    .where(eq(communityPostRevisions.postId, postId))
    .orderBy(asc(communityPostRevisions.revision));
  return { post, topic, revisions };
}

/** A private message: a private topic whose participants are the sender and the recipients. */
export async function startPrivateMessage(
  db: Db,
  baseUrl: string,
  actor: Actor,
  input: { to: string[]; title: string; body: string },
) {
  await assertMayPost(db, actor);
  const title = validateTitle(input.title);
  const body = validateBody(input.body);
  const names = [...new Set(input.to.map((n) => n.trim().toLowerCase()).filter(Boolean))].slice(0, 10);
  if (!names.length) throw new InvalidError('no_recipients', 'Name at least one member to write to.');
  const found = await db
    .select({ userId: communityProfiles.userId })
    .from(communityProfiles)
    .where(sql`lower(${communityProfiles.username}) in ${names}`);
  if (found.length !== names.length)
    throw new InvalidError('unknown_recipient', 'A recipient does not exist.');
  const [topic] = await db
    .insert(communityTopics)
    .values({ title, slug: 'message', authorId: actor.id, visibility: 'private' })
    .returning();
  const ids = new Set([actor.id, ...found.map((f) => f.userId)]);
  await db.insert(communityParticipants).values([...ids].map((userId) => ({ topicId: topic!.id, userId })));
  for (const userId of ids)
    await db.insert(communityFollows).values({ topicId: topic!.id, userId }).onConflictDoNothing();
  const bodyHtml = await renderPostHtml(db, body);
  const [post] = await db
    .insert(communityPosts)
    .values({
      topicId: topic!.id,
      postNumber: 1,
      authorId: actor.id,
      body,
      bodyHtml,
      searchable: false,
      title,
    })
    .returning();
  await db.insert(communityPostRevisions).values({ postId: post!.id, revision: 1, body, editorId: actor.id });
  for (const userId of ids) {
    if (userId === actor.id) continue;
    await db.insert(communityNotifications).values({
      userId,
      kind: 'message',
      topicId: topic!.id,
      postId: post!.id,
      actorId: actor.id,
    });
  }
  await publishPost(db, post!.id, baseUrl);
  return topic!;
}
