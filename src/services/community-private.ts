/**
 * Taking a forum topic private from the agent inbox. The private reply becomes a forum private
 * message from the staff member to the topic's author; later private replies in the same
 * conversation continue that thread. The public topic keeps a neutral notice ("our team is
 * following up privately") and remembers its private thread (`private_topic_id`), which only the
 * topic's author and staff are shown. The private thread carries the conversation id too, so any
 * staff member can read it and the customer's answers in it thread back into the same
 * conversation (triage thread `topic:<private topic id>`, recorded on the outbound post).
 *
 * `deliverToForum` is the outbox's forum delivery: staff replies and resolution notices into the
 * topic, private replies as private messages.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { communityRepository, type TopicRow } from '../db/repositories/community.ts';
import { communityPosts, communityTopics, users } from '../db/schema/index.ts';
import { ForbiddenError, InvalidError, NotFoundError } from '../domain/errors.ts';
import { type Actor, announceCommunityChange, postStaffReply, replyToTopic } from './community.ts';
import { startPrivateMessage } from './community-actions.ts';
import { ensureProfile } from './community-members.ts';
import { isStaff, LIMITS } from './community-rules.ts';

/** The forum topic id in a conversation's platform thread: `topic:<id>` (or a bare id). */
export function topicIdOfThread(threadExternalId: string | null): number {
  const id = Number((threadExternalId ?? '').replace(/^topic:/, ''));
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new InvalidError('not_a_forum_thread', 'This conversation is not linked to a forum topic.');
  return id;
}

async function staffMember(db: Db, userId: string): Promise<Actor> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !isStaff(user.role)) throw new ForbiddenError('not_staff', 'Only staff reply from the inbox.');
  await ensureProfile(db, user);
  return user;
}

export interface SentPrivateMessage {
  /** The private topic (thread) the message is in. */
  topicId: number;
  postId: number;
  postNumber: number;
}

const titleFor = (topic: TopicRow) => {
  const title = `Following up: ${topic.title}`;
  return title.length > LIMITS.titleMax ? `${title.slice(0, LIMITS.titleMax - 1)}…` : title;
};

/**
 * A private reply from the inbox on a forum conversation. The conversation's topic is either a
 * private message itself (the member wrote to us privately), or a public topic: its first private
 * reply starts a private message to the topic's author and links the topic to it; the next ones
 * continue that thread.
 */
export async function sendStaffPrivateMessage(
  db: Db,
  input: { topicId: number; userId: string; markdown: string; conversationId: string },
  baseUrl = '',
): Promise<SentPrivateMessage> {
  const staff = await staffMember(db, input.userId);
  const repo = communityRepository(db);
  const topic = await repo.topicById(input.topicId);
  if (!topic) throw new NotFoundError('topic_not_found', 'No such topic.');
  const threadId = topic.visibility === 'private' ? topic.id : topic.privateTopicId;
  if (threadId) {
    if (topic.visibility === 'private' && !topic.conversationId) {
      // A member wrote to us privately: the thread now belongs to this conversation (staff read it).
      await db
        .update(communityTopics)
        .set({ conversationId: input.conversationId })
        .where(eq(communityTopics.id, topic.id));
    }
    const { post } = await replyToTopic(db, baseUrl, staff, threadId, { body: input.markdown });
    return { topicId: threadId, postId: post.id, postNumber: post.postNumber };
  }
  const author = topic.authorId ? await repo.profileByUserId(topic.authorId) : undefined;
  if (!author) throw new InvalidError('author_gone', 'The topic’s author is no longer a member.');
  const pm = await startPrivateMessage(db, baseUrl, staff, {
    to: [author.username],
    title: titleFor(topic),
    body: input.markdown,
  });
  await db
    .update(communityTopics)
    .set({ conversationId: input.conversationId })
    .where(eq(communityTopics.id, pm.id));
  await db
    .update(communityTopics)
    .set({ conversationId: input.conversationId, privateTopicId: pm.id })
    .where(eq(communityTopics.id, topic.id));
  const [first] = await db
    .select({ id: communityPosts.id })
    .from(communityPosts)
    .where(and(eq(communityPosts.topicId, pm.id), eq(communityPosts.postNumber, 1)));
  await announceCommunityChange(db, topic.id);
  return { topicId: pm.id, postId: first!.id, postNumber: 1 };
}

/**
 * The link to a taken-private topic's private thread, for the topic page: only its author and
 * staff get one; everyone else sees the neutral notice alone.
 */
export function privateThreadHref(
  topic: TopicRow,
  viewer: Pick<Actor, 'id' | 'role'> | undefined,
): string | undefined {
  if (!topic.privateTopicId || !viewer) return undefined;
  if (viewer.id !== topic.authorId && !isStaff(viewer.role)) return undefined;
  return `/community/t/message/${topic.privateTopicId}`;
}

/** A reply from the inbox, delivered on the forum; the outbox records the returned ids. */
export async function deliverToForum(
  db: Db,
  input: {
    /** The platform thread replied in: `topic:<id>`. */
    thread: string | null;
    userId: string;
    markdown: string;
    kind: 'staff_reply' | 'resolution_notice' | 'private';
    conversationId: string;
  },
  baseUrl = '',
): Promise<{ externalId: string; url: string; threadExternalId: string }> {
  const topicId = topicIdOfThread(input.thread);
  if (input.kind === 'private') {
    const { userId, markdown, conversationId } = input;
    const pm = await sendStaffPrivateMessage(db, { topicId, userId, markdown, conversationId }, baseUrl);
    return {
      externalId: `post:${pm.postId}`,
      url: `${baseUrl}/community/t/message/${pm.topicId}?post=${pm.postNumber}#p${pm.postNumber}`,
      threadExternalId: `topic:${pm.topicId}`,
    };
  }
  const post = await postStaffReply(
    db,
    { topicId, userId: input.userId, markdown: input.markdown, kind: input.kind },
    baseUrl,
  );
  return {
    externalId: `post:${post.id}`,
    url: `${baseUrl}/community/t/topic/${topicId}?post=${post.postNumber}#p${post.postNumber}`,
    threadExternalId: `topic:${topicId}`,
  };
}
