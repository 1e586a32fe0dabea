/**
 * Threading: which conversation an inbound post belongs to.
 * 1. Same platform thread (channel + threadExternalId) with an active conversation → append.
 * 2. Same contact on the same channel with an active conversation whose last activity is
 *    within the contact window (default 24 h) → append. Not for public posts on topic-based
 *    channels (forums, Discourse, Reddit, blogs): there another topic is another subject, so those
 *    match by platform thread only (`threadOnly`, see `matchesByThreadOnly`). Private messages on
 *    those channels still use the contact window.
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
  /** Match by platform thread only: no contact window (see matchesByThreadOnly). */
  threadOnly?: boolean;
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

/** Channels where a public post belongs to a titled topic, submission or article of its own. */
const TOPIC_CHANNEL_KINDS: ReadonlySet<string> = new Set(['forum', 'discourse', 'reddit', 'rss']);

/**
 * A public post on a topic-based channel joins only its own topic's conversation: a member's second
 * topic is a second subject, even within the contact window. Streams (X, Mastodon, Facebook) and
 * private messages keep the window: a customer's next tweet usually continues the same complaint.
 */
export function matchesByThreadOnly(post: { channelKind: string; isPrivate: boolean }): boolean {
  return !post.isPrivate && TOPIC_CHANNEL_KINDS.has(post.channelKind);
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
  const byThread = sameChannel.filter((c) => c.threadExternalIds.includes(post.threadExternalId));
  const byContact = post.threadOnly ? [] : sameChannel.filter((c) => c.contactId === post.contactId);

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
