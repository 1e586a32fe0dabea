/**
 * Discourse webhook deliveries: POST {post:{…}} to the target with X-Discourse-Instance,
 * X-Discourse-Event-Id, X-Discourse-Event-Type, X-Discourse-Event and
 * X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256(secret, body)>.
 */
import { createHmac } from 'node:crypto';
import type { SimPost } from './serialize.ts';

export interface WebhookDelivery {
  event: string;
  status: number;
  postId: number;
  sentAt: number;
}

export class DiscourseWebhooks {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  instance = '';

  constructor(
    private readonly options: { webhookUrl?: string | undefined; webhookSecret: string },
    private readonly payload: (post: SimPost) => Record<string, unknown>,
  ) {}

  async deliver(event: string, post: SimPost, secret = this.options.webhookSecret): Promise<number> {
    const target = this.options.webhookUrl;
    if (!target) return 0;
    const body = JSON.stringify({ post: this.payload(post) });
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    let status: number;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-discourse-instance': this.instance,
          'x-discourse-event-id': String(this.deliveries.length + 1),
          'x-discourse-event-type': 'post',
          'x-discourse-event': event,
          'x-discourse-event-signature': `sha256=${signature}`,
        },
        body,
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = -1;
    }
    this.deliveries.push({ event, status, postId: post.id, sentAt: Date.now() });
    return status;
  }

  fire(event: string, post: SimPost): void {
    if (!this.options.webhookUrl) return;
    const p = this.deliver(event, post).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
