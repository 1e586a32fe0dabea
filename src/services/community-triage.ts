/**
 * Every new forum topic or reply is also an inbound post for the triage pipeline (channelKind
 * 'forum'), so unanswered questions and complaints reach the support inbox.
 *
 * Hand-off: each post is written to `community_triage_outbox` (audit, replay) and passed to the
 * pipeline intake registered with `setForumTriageIntake` (the pipeline's intake function, wired
 * at start-up). Without an intake the rows wait in the outbox with handed_at null and can be
 * drained later with `drainForumTriageOutbox`.
 */

import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { channels, communityTriageOutbox } from '../db/schema/index.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { markdownExcerpt } from '../lib/markdown.ts';
import { enqueueInbound } from '../pipeline/intake.ts';

export type TriageIntake = (posts: InboundPost[]) => Promise<void>;

let intake: TriageIntake | undefined;
const channelIds = new WeakMap<object, string>();

/** Replaces the pipeline's durable intake (enqueueInbound), e.g. in tests. */
export function setForumTriageIntake(fn: TriageIntake | undefined): void {
  intake = fn;
}

function intakeFor(db: Db): TriageIntake {
  return intake ?? (async (posts) => void (await enqueueInbound(db.$client, posts)));
}

/** The Earshot channel row standing for the own forum (created on first use). */
export async function forumChannelId(db: Db): Promise<string> {
  const cached = channelIds.get(db);
  if (cached) return cached;
  const [found] = await db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.kind, 'forum'))
    .limit(1);
  const id =
    found?.id ??
    (
      await db
        .insert(channels)
        .values({ kind: 'forum', name: 'Community forum', baseUrl: '/community' })
        .returning({ id: channels.id })
    )[0]!.id;
  channelIds.set(db, id);
  return id;
}

export interface ForumPostForTriage {
  postId: number;
  topicId: number;
  postNumber: number;
  title: string;
  body: string;
  createdAt: Date;
  isPrivate: boolean;
  author: { id: string; username: string; displayName: string };
  url: string;
  replyToPostId?: number | null;
  firstPostId?: number;
}

export async function toInboundPost(db: Db, p: ForumPostForTriage): Promise<InboundPost> {
  const text =
    p.postNumber === 1 ? `${p.title}\n\n${markdownExcerpt(p.body, 5000)}` : markdownExcerpt(p.body, 5000);
  return {
    channelKind: 'forum',
    channelId: await forumChannelId(db),
    externalId: `post:${p.postId}`,
    threadExternalId: `topic:${p.topicId}`,
    parentExternalId:
      p.postNumber === 1
        ? undefined
        : p.replyToPostId
          ? `post:${p.replyToPostId}`
          : p.firstPostId
            ? `post:${p.firstPostId}`
            : undefined,
    author: {
      externalId: p.author.id,
      handle: p.author.username,
      displayName: p.author.displayName,
      profileUrl: `/community/u/${p.author.username}`,
    },
    text,
    isPrivate: p.isPrivate,
    url: p.url,
    createdAt: p.createdAt.toISOString(),
    matchedBy: p.isPrivate ? 'direct' : 'thread',
    raw: { topicId: p.topicId, postId: p.postId, postNumber: p.postNumber, title: p.title },
  };
}

/** Records the post and hands it to the pipeline intake when one is registered. */
export async function submitForumPostToTriage(db: Db, post: InboundPost): Promise<void> {
  const postId = Number(post.externalId.replace(/^post:/, ''));
  const [row] = await db
    .insert(communityTriageOutbox)
    .values({ postId, inbound: post })
    .returning({ id: communityTriageOutbox.id });
  try {
    await intakeFor(db)([post]);
    await db
      .update(communityTriageOutbox)
      .set({ handedAt: new Date() })
      .where(eq(communityTriageOutbox.id, row!.id));
  } catch {
    // stays in the outbox; drainForumTriageOutbox retries
  }
}

/** Hands posts still waiting in the outbox to the intake; returns how many were handed. */
export async function drainForumTriageOutbox(db: Db, limit = 500): Promise<number> {
  const rows = await db
    .select()
    .from(communityTriageOutbox)
    .where(isNull(communityTriageOutbox.handedAt))
    .orderBy(asc(communityTriageOutbox.id))
    .limit(limit);
  if (!rows.length) return 0;
  await intakeFor(db)(rows.map((r) => r.inbound as InboundPost));
  await db
    .update(communityTriageOutbox)
    .set({ handedAt: new Date() })
    .where(
      and(isNull(communityTriageOutbox.handedAt), sql`${communityTriageOutbox.id} <= ${rows.at(-1)!.id}`),
    );
  return rows.length;
}
