/**
 * The normalised inbound post: the meeting point between channel adapters (src/channels)
 * and the triage pipeline (src/pipeline). Every platform's payload becomes one of these.
 */
export type ChannelKind =
  | 'x'
  | 'facebook'
  | 'reddit'
  | 'mastodon'
  | 'discourse'
  | 'rss'
  | 'forum'
  | 'email'
  | 'webform';

export interface InboundAuthor {
  /** Platform's stable id for the author (user id, handle for RSS, email address). */
  externalId: string;
  handle: string;
  displayName?: string;
  /** Reach, where the platform reports it. */
  followers?: number;
  profileUrl?: string;
}

export interface InboundPost {
  channelKind: ChannelKind;
  /** Id of the Earshot channel (connected account/source) this came through. */
  channelId: string;
  /** Platform id of this post; (channelId, externalId) is unique. */
  externalId: string;
  /** Platform id of the thread root (tweet conversation_id, topic id, submission id, feed item link). */
  threadExternalId: string;
  /** Platform id of the post this replies to, if any. */
  parentExternalId?: string;
  author: InboundAuthor;
  text: string;
  /** true for DMs, private messages, email; false for anything the public can read. */
  isPrivate: boolean;
  url?: string;
  /** When the platform says it was created (ISO-8601). */
  createdAt: string;
  language?: string;
  /** The post is a mention of us / found by a listening rule / part of a thread we watch. */
  matchedBy?: 'mention' | 'search' | 'thread' | 'direct' | 'feed' | 'webhook';
  /** Platform-specific fields kept for display and audit; never required by the pipeline. */
  raw?: unknown;
}
