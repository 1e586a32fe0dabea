/**
 * Everything the conversation view shows, in two round trips: the conversation (visibility check),
 * then one statement whose subqueries each read one index with a limit (detail-query.ts): the newest
 * posts (posts_conversation_idx), the platform thread's context (posts_thread_idx), replies, notes,
 * the contact with identities and history across channels, the audit trail.
 */
import type { Db } from '../../db/client.ts';
import type { NoteView } from '../../db/repositories/notes.ts';
import { resolutionNoticeOutstanding } from '../../domain/conversation.ts';
import type { Actor } from '../../domain/roles.ts';
import { loadVisible, stateOf } from '../../services/conversations.ts';
import { type DetailRows, detailRows, THREAD_LIMIT } from './detail-query.ts';
import { type TriageExplanation, triageExplanation } from './triage-explanation.ts';

export { THREAD_LIMIT };

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
  /** Why the conversation is where it is (the pipeline's routing); null when it did not come through it. */
  triage: TriageExplanation | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** Timestamps inside JSON come back as text. */
const isoText = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

function postView(p: DetailRows['own'][number], conversationId: string): PostView {
  return {
    id: p.id,
    direction: p.direction,
    isPrivate: p.is_private,
    authorHandle: p.author_handle,
    text: p.text,
    url: p.url,
    postedAt: isoText(p.posted_at) ?? '',
    deleted: p.deleted_at !== null,
    inConversation: p.conversation_id === conversationId,
  };
}

export async function conversationDetail(
  db: Db,
  id: string,
  actor: Actor,
  queues: readonly string[],
): Promise<ConversationDetail> {
  const c = await loadVisible(db, id, actor);
  const r = await detailRows(db, c, queues);
  const byTime =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      Date.parse(key(a)) - Date.parse(key(b));
  const own = r.own.sort(byTime((p) => p.posted_at)).slice(-THREAD_LIMIT);
  const all = [...own, ...r.context].sort((a, b) => Date.parse(a.posted_at) - Date.parse(b.posted_at));
  const state = stateOf(c);
  return {
    conversation: {
      id: c.id,
      subject: c.subject,
      channelKind: c.channelKind,
      channelName: r.channel_name,
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
      assigneeName: r.assignee_name,
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
    thread: all.filter((p) => !p.is_private).map((p) => postView(p, c.id)),
    sidebar: own.filter((p) => p.is_private).map((p) => postView(p, c.id)),
    olderPostsOmitted: r.own.length > THREAD_LIMIT,
    replies: r.replies.sort(byTime((x) => x.created_at)).map((x) => ({
      id: x.id,
      kind: x.kind,
      isPrivate: x.is_private,
      status: x.status,
      text: x.text,
      error: x.error,
      authorId: x.author_id,
      authorName: x.author_name,
      sendAfter: isoText(x.send_after),
      externalUrl: x.external_url,
      reviewComment: x.review_comment,
      retractReason: x.retract_reason,
      createdAt: isoText(x.created_at) ?? '',
    })),
    notes: r.notes.sort(byTime((n) => n.created_at)).map((n) => ({
      id: n.id,
      text: n.text,
      authorName: n.author_name,
      createdAt: isoText(n.created_at) ?? '',
    })),
    contact: r.contact
      ? {
          id: r.contact.id,
          displayName: r.contact.display_name,
          email: r.contact.email,
          vip: r.contact.vip,
          identities: r.identities.map((i) => ({
            channelKind: i.channel_kind,
            handle: i.handle,
            profileUrl: i.profile_url,
            followers: i.followers,
          })),
          history: r.history.map((h) => ({
            id: h.id,
            subject: h.subject,
            channelKind: h.channel_kind,
            status: h.status,
            createdAt: isoText(h.created_at) ?? '',
          })),
        }
      : null,
    events: r.events.map((e) => ({
      type: e.type,
      at: isoText(e.at) ?? '',
      actorName: e.actor_name ?? (e.actor_id === 'system' ? 'Earshot' : null),
      data: e.data,
    })),
    triage: triageExplanation(r.routed),
  };
}
