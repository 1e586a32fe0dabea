/** In-memory X: users, posts, DMs, stream rules, what our account posted, and rate-limit buckets. */
import { compareIds, idGenerator } from '../shared/http.ts';
import { compileQuery, type MatchableTweet } from './query.ts';

export interface XUser {
  id: string;
  username: string;
  name: string;
  followers: number;
}

export interface XTweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: string;
  conversationId: string;
  inReplyToTweetId?: string;
  inReplyToUserId?: string;
  lang: string;
  deleted?: boolean;
}

export interface XDm {
  id: string;
  text: string;
  senderId: string;
  conversationId: string;
  participantIds: string[];
  createdAt: string;
}

export interface XRule {
  id: string;
  value: string;
  tag?: string;
}

export interface Bucket {
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
  /** Forced 429 until this time (Unix seconds). */
  forcedUntil?: number;
}

export const DEFAULT_LIMITS: Record<string, number> = {
  '/2/tweets/search/recent': 450,
  '/2/users/:id/mentions': 450,
  '/2/tweets/search/stream': 50,
  '/2/tweets/search/stream/rules': 450,
  '/2/tweets': 300,
  '/2/tweets/:id': 50,
  '/2/dm_events': 300,
  '/2/dm_conversations/with/:participant_id/messages': 200,
};

export class XState {
  readonly users = new Map<string, XUser>();
  /** Ascending by id. */
  readonly tweets: XTweet[] = [];
  readonly byId = new Map<string, XTweet>();
  readonly dms: XDm[] = [];
  readonly rules: XRule[] = [];
  /** Posts and DMs our account made through the API. */
  readonly posted: XTweet[] = [];
  readonly sentDms: XDm[] = [];
  readonly buckets = new Map<string, Bucket>();
  // Snowflake-like: milliseconds since the X epoch in the high bits, so ids carry their time.
  readonly nextId = idGenerator((BigInt(Date.now()) - 1288834974657n) << 22n);
  windowSeconds = 15 * 60;

  constructor(readonly account: XUser) {
    this.users.set(account.id, account);
  }

  user(handleOrId: { id?: string; username?: string; name?: string; followers?: number }): XUser {
    if (handleOrId.id && this.users.has(handleOrId.id)) return this.users.get(handleOrId.id)!;
    const username = handleOrId.username ?? `user${this.users.size}`;
    for (const u of this.users.values()) if (u.username.toLowerCase() === username.toLowerCase()) return u;
    const u: XUser = {
      id: handleOrId.id ?? String(2_000_000 + this.users.size),
      username,
      name: handleOrId.name ?? username,
      followers: handleOrId.followers ?? 0,
    };
    this.users.set(u.id, u);
    return u;
  }

  addTweet(input: {
    text: string;
    author: XUser;
    inReplyToTweetId?: string;
    lang?: string;
    createdAt?: string;
  }): XTweet {
    const id = this.nextId();
    const parent = input.inReplyToTweetId ? this.byId.get(input.inReplyToTweetId) : undefined;
    const tweet: XTweet = {
      id,
      text: input.text,
      authorId: input.author.id,
      createdAt: input.createdAt ?? new Date().toISOString(),
      conversationId: parent?.conversationId ?? id,
      lang: input.lang ?? 'en',
      ...(parent ? { inReplyToTweetId: parent.id, inReplyToUserId: parent.authorId } : {}),
    };
    this.tweets.push(tweet);
    this.byId.set(id, tweet);
    return tweet;
  }

  addDm(input: { text: string; sender: XUser; recipient: XUser; createdAt?: string }): XDm {
    const ids = [input.sender.id, input.recipient.id].sort();
    const dm: XDm = {
      id: this.nextId(),
      text: input.text,
      senderId: input.sender.id,
      participantIds: ids,
      conversationId: ids.join('-'),
      createdAt: input.createdAt ?? new Date().toISOString(),
    };
    this.dms.push(dm);
    return dm;
  }

  matchable(t: XTweet): MatchableTweet {
    const author = this.users.get(t.authorId);
    const replyTo = t.inReplyToUserId ? this.users.get(t.inReplyToUserId) : undefined;
    return {
      text: t.text,
      authorHandle: author?.username ?? '',
      lang: t.lang,
      isReply: !!t.inReplyToTweetId,
      ...(replyTo ? { inReplyToHandle: replyTo.username } : {}),
    };
  }

  /** Live posts matching `filter`, newest first, within (sinceId, untilId). */
  select(filter: (t: XTweet) => boolean, sinceId?: string, untilId?: string): XTweet[] {
    const out: XTweet[] = [];
    for (let i = this.tweets.length - 1; i >= 0; i--) {
      const t = this.tweets[i]!;
      if (sinceId && compareIds(t.id, sinceId) <= 0) break;
      if (untilId && compareIds(t.id, untilId) >= 0) continue;
      if (!t.deleted && filter(t)) out.push(t);
    }
    return out;
  }

  search(query: string): (t: XTweet) => boolean {
    const match = compileQuery(query);
    return (t) => match(this.matchable(t));
  }

  mentionsOf(userId: string): (t: XTweet) => boolean {
    const u = this.users.get(userId);
    const needle = `@${(u?.username ?? '\u0000').toLowerCase()}`;
    return (t) => t.authorId !== userId && t.text.toLowerCase().includes(needle);
  }

  /** Consume one request from the endpoint's bucket; returns the bucket (remaining < 0 means 429). */
  take(template: string, nowMs = Date.now()): { bucket: Bucket; limited: boolean } {
    const now = Math.floor(nowMs / 1000);
    let b = this.buckets.get(template);
    const limit = DEFAULT_LIMITS[template] ?? 100;
    if (!b || now >= b.reset) {
      const forcedUntil = b?.forcedUntil && b.forcedUntil > now ? b.forcedUntil : undefined;
      b = { limit: b?.limit ?? limit, remaining: b?.limit ?? limit, reset: now + this.windowSeconds };
      if (forcedUntil) b.forcedUntil = forcedUntil;
      this.buckets.set(template, b);
    }
    if (b.forcedUntil && b.forcedUntil > now)
      return { bucket: { ...b, remaining: 0, reset: b.forcedUntil }, limited: true };
    if (b.remaining <= 0) return { bucket: b, limited: true };
    b.remaining -= 1;
    return { bucket: b, limited: false };
  }

  /** Make the next requests to `template` (or every endpoint) answer 429 for `seconds`. */
  force429(seconds: number, template?: string): void {
    const until = Math.floor(Date.now() / 1000) + seconds;
    const templates = template ? [template] : Object.keys(DEFAULT_LIMITS);
    for (const t of templates) {
      this.take(t);
      const b = this.buckets.get(t)!;
      b.remaining += 1;
      b.forcedUntil = until;
    }
  }

  setLimit(template: string, limit: number): void {
    this.take(template);
    const b = this.buckets.get(template)!;
    b.limit = limit;
    b.remaining = limit;
  }
}
