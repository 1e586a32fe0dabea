/**
 * Threading: which conversation an inbound post belongs to.
 * 1. Same platform thread (channel + threadExternalId) with an active conversation → append.
 * 2. Same contact on the same channel with an active conversation whose last activity is
 *    within the contact window (default 24 h) → append.
 * What "same thread" and "same contact" may join depends on the post's scope (threadingScope):
 *  - stream (public posts on X, Mastodon, Facebook): a thread joins only the same customer's
 *    conversation — fifty customers replying under one brand tweet are fifty conversations, each with
 *    its owner and its answer; the customer's next post within the window continues theirs.
 *  - topic (public posts on forums, Discourse, Reddit, blogs): a topic joins whoever writes (peers
 *    answering are part of it), and the contact window does not apply: another topic is another subject.
 *  - private (direct and private messages, email; the default): thread, then the contact window.
 * 3. A resolved conversation matched by thread or contact and resolved within the reopen
 *    window → reopen. Closed conversations never reopen.
 * 4. Otherwise → new conversation.
 */
import type { ConversationStatus } from './conversation.ts';

export interface ThreadingPost {
  channelId: string;
  threadExternalId: string;
  contactId: string;
  /** ISO-8601 */
  createdAt: string;
  /** Default 'private' (see threadingScope). */
  scope?: ThreadingScope;
}

export interface ConversationCandidate {
  id: string;
  status: ConversationStatus;
  channelId: string;
  contactId: string;
  threadExternalIds: readonly string[];
  lastActivityAt: string;
  resolvedAt: string | null;
}

export interface ThreadingOptions {
  /** Default 24 h. */
  contactWindowMinutes?: number;
  /** Default 72 h. */
  reopenWindowMinutes?: number;
}

export type ThreadingDecision =
  | { action: 'append'; conversationId: string; matchedBy: 'thread' | 'contact' }
  | { action: 'reopen'; conversationId: string; matchedBy: 'thread' | 'contact' }
  | { action: 'new'; reason: 'no_match' | 'outside_window' | 'closed' };

export const DEFAULT_CONTACT_WINDOW_MINUTES = 24 * 60;
export const DEFAULT_REOPEN_WINDOW_MINUTES = 72 * 60;

const MINUTE = 60_000;

export type ThreadingScope = 'stream' | 'topic' | 'private';

/** Channels where a public post belongs to a titled topic, submission or article of its own. */
const TOPIC_CHANNEL_KINDS: ReadonlySet<string> = new Set(['forum', 'discourse', 'reddit', 'rss']);
/** Channels where public posts form open reply trees that anyone joins. */
const STREAM_CHANNEL_KINDS: ReadonlySet<string> = new Set(['x', 'mastodon', 'facebook']);

export function threadingScope(post: { channelKind: string; isPrivate: boolean }): ThreadingScope {
  if (post.isPrivate) return 'private';
  if (TOPIC_CHANNEL_KINDS.has(post.channelKind)) return 'topic';
  return STREAM_CHANNEL_KINDS.has(post.channelKind) ? 'stream' : 'private';
}

const isActive = (s: ConversationStatus) => s === 'new' || s === 'open' || s === 'waiting_on_customer';
const latestFirst = (a: ConversationCandidate, b: ConversationCandidate) =>
  Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) || (a.id < b.id ? -1 : 1);

export function decideThread(
  post: ThreadingPost,
  candidates: readonly ConversationCandidate[],
  options: ThreadingOptions = {},
): ThreadingDecision {
  const contactWindow = (options.contactWindowMinutes ?? DEFAULT_CONTACT_WINDOW_MINUTES) * MINUTE;
  const reopenWindow = (options.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES) * MINUTE;
  const at = Date.parse(post.createdAt);
  const sameChannel = candidates.filter((c) => c.channelId === post.channelId).sort(latestFirst);
  const scope = post.scope ?? 'private';
  const byThread = sameChannel.filter(
    (c) =>
      c.threadExternalIds.includes(post.threadExternalId) &&
      (scope !== 'stream' || c.contactId === post.contactId),
  );
  const byContact = scope === 'topic' ? [] : sameChannel.filter((c) => c.contactId === post.contactId);

  const activeThread = byThread.find((c) => isActive(c.status));
  if (activeThread) return { action: 'append', conversationId: activeThread.id, matchedBy: 'thread' };

  // A post earlier than the last activity (clock skew, late delivery) is within the window.
  const withinContactWindow = (c: ConversationCandidate) =>
    at - Date.parse(c.lastActivityAt) <= contactWindow;
  const activeContact = byContact.find((c) => isActive(c.status) && withinContactWindow(c));
  if (activeContact) return { action: 'append', conversationId: activeContact.id, matchedBy: 'contact' };

  const reopenable = (c: ConversationCandidate) =>
    c.status === 'resolved' && c.resolvedAt !== null && at - Date.parse(c.resolvedAt) <= reopenWindow;
  const threadReopen = byThread.find(reopenable);
  if (threadReopen) return { action: 'reopen', conversationId: threadReopen.id, matchedBy: 'thread' };
  const contactReopen = byContact.find((c) => reopenable(c) && withinContactWindow(c));
  if (contactReopen) return { action: 'reopen', conversationId: contactReopen.id, matchedBy: 'contact' };

  if (byThread.length === 0 && byContact.length === 0) return { action: 'new', reason: 'no_match' };
  if (byThread.some((c) => c.status === 'closed') && !byThread.some((c) => c.status === 'resolved')) {
    return { action: 'new', reason: 'closed' };
  }
  return { action: 'new', reason: 'outside_window' };
}
