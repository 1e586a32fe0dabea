/**
 * Everything the conversation view shows, in a handful of indexed queries: the conversation, the
 * whole public thread on the platform (context before and after the customer's post), private
 * sidebars, replies, notes, the contact with identities and history across channels, the audit trail.
 */
import { and, asc, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type NoteView, notesRepository } from '../../db/repositories/notes.ts';
import {
  channels,
  contactIdentities,
  contacts,
  conversationEvents,
  conversations,
  posts,
  replies,
  users,
} from '../../db/schema/index.ts';
import { resolutionNoticeOutstanding } from '../../domain/conversation.ts';
import type { Actor } from '../../domain/roles.ts';
import { type ConversationRow, loadVisible, stateOf } from '../../services/conversations.ts';

export interface PostView {
  id: string;
  direction: 'inbound' | 'outbound';
  isPrivate: boolean;
  authorHandle: string;
  text: string;
  url: string | null;
  postedAt: string;
  deleted: boolean;
  /** In this conversation, or context from the same platform thread. */
  inConversation: boolean;
}

export interface ReplyView {
  id: string;
  kind: string;
  isPrivate: boolean;
  status: string;
  text: string;
  error: string | null;
  authorId: string | null;
  authorName: string | null;
  sendAfter: string | null;
  externalUrl: string | null;
  reviewComment: string | null;
  retractReason: string | null;
  createdAt: string;
}

export interface ConversationDetail {
  conversation: {
    id: string;
    subject: string;
    channelKind: string;
    channelName: string | null;
    status: string;
    publicState: string;
    queue: string;
    team: string | null;
    intent: string;
    sentiment: string;
    priority: string;
    language: string | null;
    tags: string[];
    assigneeId: string | null;
    assigneeName: string | null;
    version: number;
    startedAsPublicComplaint: boolean;
    resolutionNoticeOutstanding: boolean;
    waiver: unknown;
    noResponseNeeded: unknown;
    firstResponseDueAt: string | null;
    nextResponseDueAt: string | null;
    resolutionDueAt: string | null;
    firstRespondedAt: string | null;
    createdAt: string;
  };
  thread: PostView[];
  sidebar: PostView[];
  /** The conversation has more than THREAD_LIMIT posts; only the newest are shown. */
  olderPostsOmitted: boolean;
  replies: ReplyView[];
  notes: NoteView[];
  contact: {
    id: string;
    displayName: string;
    email: string | null;
    vip: boolean;
    identities: {
      channelKind: string;
      handle: string;
      profileUrl: string | null;
      followers: number | null;
    }[];
    history: { id: string; subject: string; channelKind: string; status: string; createdAt: string }[];
  } | null;
  events: { type: string; at: string; actorName: string | null; data: unknown }[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function postView(p: typeof posts.$inferSelect, conversationId: string): PostView {
  return {
    id: p.id,
    direction: p.direction,
    isPrivate: p.isPrivate,
    authorHandle: p.authorHandle,
    text: p.text,
    url: p.url,
    postedAt: p.postedAt.toISOString(),
    deleted: p.deletedAt !== null,
    inConversation: p.conversationId === conversationId,
  };
}

/** The newest posts of a conversation shown at once (posts_conversation_idx, read backwards). */
export const THREAD_LIMIT = 200;

async function loadPosts(db: Db, c: ConversationRow) {
  const newest = await db
    .select()
    .from(posts)
    .where(eq(posts.conversationId, c.id))
    .orderBy(desc(posts.postedAt))
    .limit(THREAD_LIMIT + 1);
  const own = newest.slice(0, THREAD_LIMIT).reverse();
  const context =
    c.channelId && c.threadExternalId
      ? await db
          .select()
          .from(posts)
          .where(
            and(
              eq(posts.channelId, c.channelId),
              eq(posts.threadExternalId, c.threadExternalId),
              or(ne(posts.conversationId, c.id), sql`${posts.conversationId} IS NULL`),
              eq(posts.isPrivate, false),
            ),
          )
          .orderBy(asc(posts.postedAt))
          .limit(100)
      : [];
  const all = [...own, ...context].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
  return {
    thread: all.filter((p) => !p.isPrivate).map((p) => postView(p, c.id)),
    sidebar: own.filter((p) => p.isPrivate).map((p) => postView(p, c.id)),
    olderPostsOmitted: newest.length > THREAD_LIMIT,
  };
}

async function loadContact(db: Db, c: ConversationRow, queues: readonly string[]) {
  if (!c.contactId) return null;
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, c.contactId));
  if (!contact) return null;
  const [identities, history] = await Promise.all([
    db.select().from(contactIdentities).where(eq(contactIdentities.contactId, contact.id)).limit(50),
    db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.contactId, contact.id),
          ne(conversations.id, c.id),
          inArray(conversations.queue, [...queues]),
        ),
      )
      .orderBy(desc(conversations.createdAt))
      .limit(20),
  ]);
  return {
    id: contact.id,
    displayName: contact.displayName,
    email: contact.email,
    vip: contact.vip,
    identities: identities.map((i) => ({
      channelKind: i.channelKind,
      handle: i.handle,
      profileUrl: i.profileUrl,
      followers: i.followers,
    })),
    history: history.map((h) => ({
      id: h.id,
      subject: h.subject,
      channelKind: h.channelKind,
      status: h.status,
      createdAt: h.createdAt.toISOString(),
    })),
  };
}

export async function conversationDetail(
  db: Db,
  id: string,
  actor: Actor,
  queues: readonly string[],
): Promise<ConversationDetail> {
  const c = await loadVisible(db, id, actor);
  const [postsOut, replyRows, notes, contact, events, channel, assignee] = await Promise.all([
    loadPosts(db, c),
    db
      .select({ r: replies, authorName: users.displayName })
      .from(replies)
      .leftJoin(users, eq(users.id, replies.authorId))
      .where(and(eq(replies.conversationId, c.id), ne(replies.status, 'draft')))
      .orderBy(desc(replies.createdAt))
      .limit(100)
      .then((rows) => rows.reverse()),
    notesRepository(db).forConversation(c.id),
    loadContact(db, c, queues),
    db
      .select({ e: conversationEvents, actorName: users.displayName })
      .from(conversationEvents)
      .leftJoin(users, sql`${users.id}::text = ${conversationEvents.actorId}`)
      .where(eq(conversationEvents.conversationId, c.id))
      .orderBy(desc(conversationEvents.at))
      .limit(100),
    c.channelId ? db.select().from(channels).where(eq(channels.id, c.channelId)) : Promise.resolve([]),
    c.assigneeId ? db.select().from(users).where(eq(users.id, c.assigneeId)) : Promise.resolve([]),
  ]);
  const state = stateOf(c);
  return {
    conversation: {
      id: c.id,
      subject: c.subject,
      channelKind: c.channelKind,
      channelName: channel[0]?.name ?? null,
      status: c.status,
      publicState: c.publicState,
      queue: c.queue,
      team: c.team,
      intent: c.intent,
      sentiment: c.sentiment,
      priority: c.priority,
      language: c.language,
      tags: c.tags,
      assigneeId: c.assigneeId,
      assigneeName: assignee[0]?.displayName ?? null,
      version: c.version,
      startedAsPublicComplaint: c.startedAsPublicComplaint,
      resolutionNoticeOutstanding: resolutionNoticeOutstanding(state),
      waiver: state.waiver,
      noResponseNeeded: state.noResponseNeeded,
      firstResponseDueAt: iso(c.firstResponseDueAt),
      nextResponseDueAt: iso(c.nextResponseDueAt),
      resolutionDueAt: iso(c.resolutionDueAt),
      firstRespondedAt: iso(c.firstRespondedAt),
      createdAt: c.createdAt.toISOString(),
    },
    ...postsOut,
    replies: replyRows.map(({ r, authorName }) => ({
      id: r.id,
      kind: r.kind,
      isPrivate: r.isPrivate,
      status: r.status,
      text: r.text,
      error: r.error,
      authorId: r.authorId,
      authorName,
      sendAfter: iso(r.sendAfter),
      externalUrl: r.externalUrl,
      reviewComment: r.reviewComment,
      retractReason: r.retractReason,
      createdAt: r.createdAt.toISOString(),
    })),
    notes,
    contact,
    events: events.map(({ e, actorName }) => ({
      type: e.type,
      at: e.at.toISOString(),
      actorName: actorName ?? (e.actorId === 'system' ? 'Earshot' : null),
      data: e.data,
    })),
  };
}
