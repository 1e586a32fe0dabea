/** In-memory Mastodon instance: accounts, statuses, notifications, idempotency keys, rate limits. */
import { compareIds, idGenerator } from '../shared/http.ts';

export interface MAccount {
  id: string;
  username: string;
  /** `user` for local accounts, `user@domain` for remote ones. */
  acct: string;
  displayName: string;
  followers: number;
  createdAt: string;
}

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface MStatus {
  id: string;
  accountId: string;
  /** Plain text as written; served as HTML `content`. */
  text: string;
  createdAt: string;
  visibility: Visibility;
  inReplyToId?: string;
  inReplyToAccountId?: string;
  language: string;
  mentions: string[];
  deleted?: boolean;
}

export interface MNotification {
  id: string;
  type: 'mention' | 'favourite' | 'reblog' | 'follow';
  accountId: string;
  statusId?: string;
  createdAt: string;
}

export class MastodonState {
  readonly accounts = new Map<string, MAccount>();
  readonly statuses: MStatus[] = [];
  readonly byId = new Map<string, MStatus>();
  readonly notifications: MNotification[] = [];
  /** (account, Idempotency-Key) → status id. */
  readonly idempotency = new Map<string, string>();
  readonly posted: MStatus[] = [];
  readonly nextId = idGenerator(BigInt(Date.now()) << 16n);
  readonly nextNotificationId = idGenerator(1000n);
  rateLimit = { limit: 300, remaining: 300, resetMs: 0, forcedUntilMs: 0, windowMs: 5 * 60_000 };

  constructor(
    readonly domain: string,
    readonly me: MAccount,
  ) {
    this.accounts.set(me.id, me);
  }

  account(input: { username: string; displayName?: string; followers?: number; remote?: string }): MAccount {
    const acct = input.remote ? `${input.username}@${input.remote}` : input.username;
    for (const a of this.accounts.values()) if (a.acct === acct) return a;
    const a: MAccount = {
      id: String(100_000 + this.accounts.size),
      username: input.username,
      acct,
      displayName: input.displayName ?? input.username,
      followers: input.followers ?? 0,
      createdAt: '2022-11-01T00:00:00.000Z',
    };
    this.accounts.set(a.id, a);
    return a;
  }

  findAcct(acct: string): MAccount | undefined {
    const bare = acct.replace(/^@/, '').toLowerCase();
    for (const a of this.accounts.values())
      if (a.acct.toLowerCase() === bare || `${a.username}@${this.domain}`.toLowerCase() === bare) return a;
    return undefined;
  }

  addStatus(input: {
    text: string;
    account: MAccount;
    visibility?: Visibility;
    inReplyToId?: string;
    language?: string;
  }): MStatus {
    const parent = input.inReplyToId ? this.byId.get(input.inReplyToId) : undefined;
    const mentioned = [...input.text.matchAll(/@([\w.-]+(?:@[\w.-]+)?)/g)]
      .map((m) => this.findAcct(m[1]!))
      .filter((a): a is MAccount => !!a);
    const s: MStatus = {
      id: this.nextId(),
      accountId: input.account.id,
      text: input.text,
      createdAt: new Date().toISOString(),
      visibility: input.visibility ?? 'public',
      language: input.language ?? 'en',
      mentions: [...new Set(mentioned.map((a) => a.id))],
      ...(parent ? { inReplyToId: parent.id, inReplyToAccountId: parent.accountId } : {}),
    };
    this.statuses.push(s);
    this.byId.set(s.id, s);
    if (s.mentions.includes(this.me.id) && s.accountId !== this.me.id)
      this.notifications.push({
        id: this.nextNotificationId(),
        type: 'mention',
        accountId: s.accountId,
        statusId: s.id,
        createdAt: s.createdAt,
      });
    return s;
  }

  deleteStatus(id: string): boolean {
    const s = this.byId.get(id);
    if (!s || s.deleted) return false;
    s.deleted = true;
    // Mastodon removes notifications about a deleted status.
    for (let i = this.notifications.length - 1; i >= 0; i--)
      if (this.notifications[i]!.statusId === id) this.notifications.splice(i, 1);
    return true;
  }

  /** Newest-first window of `items` (ascending by id) honouring max_id / since_id / min_id. */
  window<T extends { id: string }>(
    items: T[],
    q: { maxId?: string; sinceId?: string; minId?: string; limit: number },
  ): T[] {
    const inRange = (id: string) =>
      (!q.maxId || compareIds(id, q.maxId) < 0) &&
      (!q.sinceId || compareIds(id, q.sinceId) > 0) &&
      (!q.minId || compareIds(id, q.minId) > 0);
    const matching = items.filter((i) => inRange(i.id));
    // min_id pages forward: the results immediately newer than min_id.
    const page = q.minId && !q.maxId ? matching.slice(0, q.limit) : matching.slice(-q.limit);
    return page.reverse();
  }

  take(now = Date.now()): { limited: boolean; headers: Record<string, string> } {
    const rl = this.rateLimit;
    if (now >= rl.resetMs) {
      rl.resetMs = now + rl.windowMs;
      rl.remaining = rl.limit;
    }
    const forced = rl.forcedUntilMs > now;
    const limited = forced || rl.remaining <= 0;
    if (!limited) rl.remaining -= 1;
    const reset = forced ? rl.forcedUntilMs : rl.resetMs;
    return {
      limited,
      headers: {
        'X-RateLimit-Limit': String(rl.limit),
        'X-RateLimit-Remaining': String(limited ? 0 : rl.remaining),
        'X-RateLimit-Reset': new Date(reset).toISOString(),
      },
    };
  }
}
