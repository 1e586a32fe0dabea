/**
 * Meta webhook deliveries from the Facebook simulator: envelopes {object:'page', entry:[…]} for
 * feed changes and Messenger events, signed `X-Hub-Signature-256: sha256=<hex HMAC of the raw
 * body with the app secret>`, plus the verification handshake Meta performs on subscription.
 */
import { createHmac } from 'node:crypto';
import type { FacebookStore, FbComment, FbMessage } from './store.ts';

export interface FbDelivery {
  kind: 'feed' | 'messaging';
  status: number;
  sentAt: number;
}

export function feedChangeEntry(
  store: FacebookStore,
  c: FbComment,
  verb: 'add' | 'edited' | 'remove',
): Record<string, unknown> {
  const post = store.postById.get(c.postId)!;
  return {
    id: store.page.id,
    time: Math.floor(Date.now() / 1000),
    changes: [
      {
        field: 'feed',
        value: {
          from: { id: c.from.id, name: c.from.name },
          post: {
            status_type: 'mobile_status_update',
            is_published: true,
            updated_time: new Date(post.updatedAt).toISOString().replace(/\.\d{3}Z$/, '+0000'),
            permalink_url: store.permalink(post),
            promotion_status: 'inactive',
            id: post.id,
          },
          message: c.message,
          post_id: post.id,
          comment_id: c.id,
          created_time: Math.floor(c.createdAt / 1000),
          item: 'comment',
          parent_id: c.parentId ?? post.id,
          verb,
        },
      },
    ],
  };
}

export function messagingEntry(store: FacebookStore, m: FbMessage): Record<string, unknown> {
  return {
    id: store.page.id,
    time: m.at,
    messaging: [
      {
        sender: { id: m.psid },
        recipient: { id: store.page.id },
        timestamp: m.at,
        message: { mid: m.mid, text: m.text },
      },
    ],
  };
}

export class WebhookSender {
  readonly deliveries: FbDelivery[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  url: string | undefined;

  constructor(
    private readonly appSecret: string,
    url?: string,
  ) {
    this.url = url;
  }

  /** POST one envelope now; `secret` overrides the app secret (to test bad signatures). */
  async deliver(
    kind: FbDelivery['kind'],
    entries: Record<string, unknown>[],
    secret = this.appSecret,
  ): Promise<number> {
    if (!this.url) return 0;
    const body = JSON.stringify({ object: 'page', entry: entries });
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
        body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = -1;
    }
    this.deliveries.push({ kind, status, sentAt: Date.now() });
    return status;
  }

  fire(kind: FbDelivery['kind'], entries: Record<string, unknown>[]): void {
    if (!this.url) return;
    const p = this.deliver(kind, entries).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Meta's subscription check: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…. */
  async verify(
    verifyToken: string,
    challenge = String(Math.floor(Math.random() * 1e9)),
  ): Promise<{ status: number; body: string; challenge: string }> {
    if (!this.url) throw new Error('no webhook url');
    const u = new URL(this.url);
    u.searchParams.set('hub.mode', 'subscribe');
    u.searchParams.set('hub.verify_token', verifyToken);
    u.searchParams.set('hub.challenge', challenge);
    const res = await fetch(u);
    return { status: res.status, body: await res.text(), challenge };
  }
}
