/**
 * The one interface every platform adapter implements. Adapters do network I/O only through
 * a configurable base URL (so tests point them at sim/<platform>) and keep no state in memory
 * that must survive a restart: cursors and rate-limit state are returned to the caller, which
 * stores them in the database (channels table).
 */
import type { ChannelKind, InboundPost } from '../domain/inbound-post.ts';

export interface ChannelCapabilities {
  /** Maximum length of a public reply, in the platform's own counting (X weighs URLs and CJK). */
  maxLength: number;
  /** How to count length for this platform. */
  lengthCounting: 'chars' | 'x-weighted';
  threading: boolean;
  privateMessages: boolean;
  canEdit: boolean;
  canDelete: boolean;
  /** Listening only (RSS): replies are drafted and marked "reply on site". */
  replyOnSite: boolean;
  webhooks: boolean;
  polling: boolean;
}

/** Opaque per-channel sync cursor, stored as JSON in the database. */
export type SyncCursor = Record<string, string | number | null | undefined>;

export interface RateLimitState {
  /** Do not call the platform before this time (ISO). */
  blockedUntil?: string;
  remaining?: number;
  limit?: number;
  resetAt?: string;
}

export interface ListeningRules {
  keywords: string[];
  handles: string[];
  /** Reddit subreddits, Discourse categories, RSS feed URLs, etc. */
  sources: string[];
}

export interface ChannelConfig {
  id: string;
  kind: ChannelKind;
  baseUrl: string;
  /** Decrypted credentials; never logged. */
  credentials: Record<string, string>;
  rules: ListeningRules;
  /** Our own account on the platform (handle/user id), used to find mentions and skip our own posts. */
  accountId?: string;
  accountHandle?: string;
}

export interface FetchResult {
  posts: InboundPost[];
  /** External ids the platform reports as deleted since last poll. */
  deleted?: string[];
  cursor: SyncCursor;
  rateLimit?: RateLimitState;
}

export interface OutboundMessage {
  /** Idempotency key from the outbox; adapters pass it to the platform where supported. */
  idempotencyKey: string;
  text: string;
  /** Public reply: the platform id of the post replied to. */
  inReplyToExternalId?: string;
  threadExternalId?: string;
  /** Private message: the recipient's platform id. */
  recipientExternalId?: string;
  isPrivate: boolean;
  /** When the customer last wrote privately (ISO): platforms with a messaging window (Facebook 24 h) check it. */
  lastCustomerMessageAt?: string;
}

export interface SendResult {
  externalId: string;
  url?: string;
  rateLimit?: RateLimitState;
}

export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

export type WebhookResult =
  | { kind: 'challenge'; status: number; body: string; contentType?: string }
  | { kind: 'posts'; posts: InboundPost[]; deleted?: string[] }
  | { kind: 'rejected'; status: number; code: string; message: string };

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  readonly capabilities: ChannelCapabilities;
  /** Poll for new posts since the cursor. Must throw RateLimitedError on 429. */
  fetchInbound?(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult>;
  /** Verify and parse a webhook delivery (signature checked against config.credentials). */
  receiveWebhook?(config: ChannelConfig, req: WebhookRequest): WebhookResult;
  send(config: ChannelConfig, message: OutboundMessage): Promise<SendResult>;
  /** Retract (delete) a sent post where the platform allows it. */
  retract?(config: ChannelConfig, externalId: string): Promise<void>;
}

export class RateLimitedError extends Error {
  constructor(
    readonly retryAt: Date,
    message = 'rate limited by platform',
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}
