/**
 * Threading, routing and priority for a batch, in memory (no I/O): each post, in platform time
 * order, either joins a conversation (src/domain/threading.ts: same platform thread while active,
 * same contact within the window, reopen a recently resolved one) or, when none matches, is routed
 * (src/domain/routing.ts) to open a new conversation in its queue, or is ignored with the reason.
 * Conversations opened earlier in the same batch are candidates for the later posts.
 */
import { randomUUID } from 'node:crypto';
import type {
  CandidateRow,
  ConversationPatch,
  EventRecord,
  NewConversation,
} from '../db/repositories/conversations.ts';
import type { NewInboundPost } from '../db/repositories/posts.ts';
import { decide, openConversation } from '../domain/conversation.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { levelForScore } from '../domain/priority.ts';
import { SYSTEM_ACTOR } from '../domain/roles.ts';
import { decideThread, threadingScope } from '../domain/threading.ts';
import type { ChannelKind, QueueName } from '../domain/types.ts';
import type { PostClassification } from './classifier.ts';
import type { PipelineConfig } from './config.ts';
import { ignoreReasonOf, postPriority, routingInput } from './post-triage.ts';

export interface TriagedPost {
  post: InboundPost;
  postId: string;
  /** Acknowledgement time (ISO): SLA clocks start here. */
  arrival: string;
  language: string | null;
  classification: PostClassification;
  contactId: string;
  identityId: string;
  history: { previousComplaints: number; vip: boolean };
}

export interface UpdatedConversation extends ConversationPatch {
  channelKind: ChannelKind;
}

export interface Decided {
  created: (NewConversation & { channelKind: string })[];
  updated: UpdatedConversation[];
  posts: NewInboundPost[];
  ignored: { postId: string; reason: string; ruleId: string | null }[];
  events: EventRecord[];
}

const subjectOf = (text: string) => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
};

export function threadAndRoute(
  items: readonly TriagedPost[],
  candidates: CandidateRow[],
  config: PipelineConfig,
): Decided {
  const out: Decided = { created: [], updated: [], posts: [], ignored: [], events: [] };
  const createdById = new Map<string, Decided['created'][number]>();
  const updatedById = new Map<string, UpdatedConversation>();
  const byId = new Map(candidates.map((c) => [c.id, c]));
  // Candidates indexed by platform thread and by contact: each post looks only at its own few.
  const byThread = new Map<string, CandidateRow[]>();
  const byContact = new Map<string, CandidateRow[]>();
  const push = (m: Map<string, CandidateRow[]>, k: string, c: CandidateRow) => {
    const list = m.get(k);
    if (!list) m.set(k, [c]);
    else if (!list.includes(c)) list.push(c);
  };
  const index = (c: CandidateRow) => {
    for (const t of c.threadExternalIds) push(byThread, `${c.channelId}\u001f${t}`, c);
    push(byContact, c.contactId, c);
  };
  for (const c of candidates) index(c);
  const relevant = (channelId: string, thread: string, contactId: string) => [
    ...new Set([...(byThread.get(`${channelId}\u001f${thread}`) ?? []), ...(byContact.get(contactId) ?? [])]),
  ];

  // A follow-up's own conversation is not another complaint of the customer's (it is stored already,
  // so complaintHistory counted it); conversations opened earlier in this batch were not counted.
  const historyFor = (t: TriagedPost, decision: ReturnType<typeof decideThread>) => {
    if (decision.action === 'new' || createdById.has(decision.conversationId)) return t.history;
    const own = byId.get(decision.conversationId)?.intent === 'complaint' ? 1 : 0;
    return { ...t.history, previousComplaints: Math.max(0, t.history.previousComplaints - own) };
  };

  for (const t of items) {
    const { post, classification: cls } = t;
    const decision = decideThread(
      {
        channelId: post.channelId,
        threadExternalId: post.threadExternalId,
        contactId: t.contactId,
        createdAt: post.createdAt,
        scope: threadingScope(post),
      },
      relevant(post.channelId, post.threadExternalId, t.contactId),
      {
        ...(config.contactWindowMinutes !== undefined
          ? { contactWindowMinutes: config.contactWindowMinutes }
          : {}),
        ...(config.reopenWindowMinutes !== undefined
          ? { reopenWindowMinutes: config.reopenWindowMinutes }
          : {}),
      },
    );
    const subject = {
      channelKind: post.channelKind,
      channelId: post.channelId,
      text: post.text,
      isPrivate: post.isPrivate,
      followers: post.author.followers,
    };
    const priority = postPriority(subject, cls, historyFor(t, decision));
    let conversationId: string | null = null;
    if (decision.action === 'append' || decision.action === 'reopen') {
      const cand = byId.get(decision.conversationId)!;
      conversationId = cand.id;
      const d = decide(
        cand.state,
        { type: 'customer_message', isPrivate: post.isPrivate },
        {
          actor: SYSTEM_ACTOR,
          at: t.arrival,
        },
      );
      cand.state = d.state;
      cand.status = d.state.status;
      cand.resolvedAt = d.state.resolvedAt;
      if (Date.parse(post.createdAt) > Date.parse(cand.lastActivityAt)) cand.lastActivityAt = post.createdAt;
      if (!cand.threadExternalIds.includes(post.threadExternalId)) {
        cand.threadExternalIds.push(post.threadExternalId);
        index(cand);
      }
      out.events.push(
        ...d.events.map((e) => (e.type === 'customer_messaged' ? { ...e, postId: t.postId } : e)),
      );
      const score = Math.max(cand.priorityScore, priority.score);
      cand.priorityScore = score;
      const created = createdById.get(cand.id);
      if (created) {
        created.state = d.state;
        created.messageCount += 1;
        created.lastCustomerMessageAt = post.createdAt;
        created.sentiment = cls.sentiment;
        created.priorityScore = score;
        created.priority = levelForScore(score);
      } else {
        const patch = updatedById.get(cand.id) ?? {
          id: cand.id,
          channelKind: post.channelKind,
          state: d.state,
          addedMessages: 0,
          lastCustomerMessageAt: post.createdAt,
          sentimentEnd: cls.sentiment,
          priority: cand.priority,
          priorityScore: cand.priorityScore,
          firstResponseDueAt: null,
          nextResponseDueAt: null,
          resolutionDueAt: null,
        };
        patch.state = d.state;
        patch.addedMessages += 1;
        patch.lastCustomerMessageAt = post.createdAt;
        patch.sentimentEnd = cls.sentiment;
        patch.priorityScore = score;
        patch.priority = levelForScore(score);
        updatedById.set(cand.id, patch);
      }
    } else {
      const routed = config.router(routingInput(subject, cls, t.language, priority.level));
      if (routed.queue === 'ignore') {
        out.ignored.push({
          postId: t.postId,
          reason: ignoreReasonOf(routed, cls.intent),
          ruleId: routed.ruleId,
        });
      } else {
        const id = randomUUID();
        conversationId = id;
        const queue: QueueName = routed.queue;
        const opened = openConversation({
          id,
          queue,
          team: routed.team ?? null,
          isPrivate: post.isPrivate,
          intent: cls.intent,
          at: t.arrival,
        });
        const msg = decide(
          opened.state,
          { type: 'customer_message', isPrivate: post.isPrivate },
          {
            actor: SYSTEM_ACTOR,
            at: t.arrival,
          },
        );
        out.events.push(...opened.events, {
          type: 'routed',
          conversationId: id,
          at: t.arrival,
          actorId: 'system',
          queue,
          team: routed.team ?? null,
          ruleId: routed.ruleId,
          intent: cls.intent,
          intentReason: cls.intentReason,
          sentiment: cls.sentiment,
          complaintScore: Math.round(cls.complaintScore * 1000) / 1000,
          language: t.language,
          priority: priority.level,
          priorityScore: priority.score,
          priorityFactors: priority.factors,
          threading: decision.reason,
        });
        out.events.push(...msg.events.map((e) => ({ ...e, postId: t.postId })));
        const conv = {
          id,
          channelId: post.channelId,
          channelKind: post.channelKind,
          contactId: t.contactId,
          threadExternalId: post.threadExternalId,
          subject: subjectOf(post.text),
          state: msg.state,
          intent: cls.intent,
          sentiment: cls.sentiment,
          complaintScore: cls.complaintScore,
          priority: priority.level,
          priorityScore: priority.score,
          language: t.language,
          firstResponseDueAt: null,
          nextResponseDueAt: null,
          resolutionDueAt: null,
          lastCustomerMessageAt: post.createdAt,
          messageCount: 1,
          createdAt: t.arrival,
        };
        out.created.push(conv);
        createdById.set(id, conv);
        const cand: CandidateRow = {
          id,
          status: msg.state.status,
          channelId: post.channelId,
          contactId: t.contactId,
          threadExternalIds: [post.threadExternalId],
          lastActivityAt: post.createdAt,
          resolvedAt: null,
          state: msg.state,
          priority: priority.level,
          priorityScore: priority.score,
          messageCount: 1,
          firstRespondedAt: null,
          intent: cls.intent,
        };
        index(cand);
        byId.set(id, cand);
      }
    }
    out.posts.push({
      id: t.postId,
      conversationId,
      channelId: post.channelId,
      channelKind: post.channelKind,
      externalId: post.externalId,
      threadExternalId: post.threadExternalId,
      parentExternalId: post.parentExternalId ?? null,
      isPrivate: post.isPrivate,
      authorIdentityId: t.identityId,
      authorHandle: post.author.handle,
      text: post.text,
      url: post.url ?? null,
      language: t.language,
      intent: cls.intent,
      sentiment: cls.sentiment,
      complaintScore: cls.complaintScore,
      postedAt: post.createdAt,
      receivedAt: t.arrival,
      raw: post.raw ?? null,
    });
  }
  out.updated = [...updatedById.values()];
  return out;
}
