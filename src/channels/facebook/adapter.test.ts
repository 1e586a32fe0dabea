import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FacebookSim, startFacebookSim } from '../../../sim/facebook/server.ts';
import {
  type ChannelConfig,
  ChannelError,
  RateLimitedError,
  type SyncCursor,
  type WebhookResult,
} from '../types.ts';
import { adapter, assertMessagingWindow } from './index.ts';

let sim: FacebookSim;
let receiver: Server;
const received: WebhookResult[] = [];
const fetchInbound = adapter.fetchInbound!;
const dana = { id: '2001', name: 'Dana Diaz' };

function config(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'fb-1',
    kind: 'facebook',
    baseUrl: sim.url,
    credentials: {
      pageAccessToken: 'sim-page-token',
      appSecret: 'sim-app-secret',
      verifyToken: 'sim-verify-token',
    },
    rules: { keywords: [], handles: [], sources: [] },
    accountId: sim.options.pageId,
    ...overrides,
  };
}

beforeAll(async () => {
  sim = await startFacebookSim();
  // Stands in for Earshot's webhook route: GET/POST with raw body → receiveWebhook → HTTP answer.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const out = adapter.receiveWebhook!(config(), {
        method: req.method ?? 'GET',
        headers: req.headers,
        query: Object.fromEntries(url.searchParams),
        rawBody: Buffer.concat(chunks),
      });
      received.push(out);
      if (out.kind === 'challenge') res.writeHead(out.status, { 'content-type': 'text/plain' }).end(out.body);
      else res.writeHead(out.kind === 'rejected' ? out.status : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  sim.webhooks.url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/facebook`;
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('facebook webhooks', () => {
  it('answers the verify handshake only with the right token', async () => {
    const ok = await sim.webhooks.verify('sim-verify-token', '1158201444');
    expect(ok).toMatchObject({ status: 200, body: '1158201444' });
    const bad = await sim.webhooks.verify('wrong-token');
    expect(bad.status).toBe(403);
    expect(bad.body).not.toContain(bad.challenge);
  });

  it('signed feed comments and Messenger messages become posts; removal becomes a deletion', async () => {
    const post = sim.injectPost({ message: 'Maintenance tonight' });
    await sim.webhooks.flush();
    received.length = 0;
    const c = sim.injectComment({ parentId: post.id, from: dana, message: 'Will my internet be down?' });
    const m = sim.injectMessage({ psid: '7001', text: 'I need help with my bill' });
    sim.deleteComment(c.id);
    await sim.webhooks.flush();
    expect(sim.webhooks.deliveries.slice(-3).map((d) => d.status)).toEqual([200, 200, 200]);
    const posts = received.flatMap((r) => (r.kind === 'posts' ? r.posts : []));
    expect(posts.find((p) => p.externalId === c.id)).toMatchObject({
      threadExternalId: post.id,
      parentExternalId: post.id,
      isPrivate: false,
      author: { externalId: '2001', displayName: 'Dana Diaz' },
      text: 'Will my internet be down?',
    });
    expect(posts.find((p) => p.externalId === m.mid)).toMatchObject({
      isPrivate: true,
      threadExternalId: 'messenger:7001',
      matchedBy: 'direct',
    });
    expect(received.some((r) => r.kind === 'posts' && r.deleted?.includes(c.id))).toBe(true);
  });

  it('a bad or missing signature is 403 and nothing is parsed', async () => {
    await sim.webhooks.flush();
    received.length = 0;
    const post = sim.injectPost({ message: 'x' });
    const c = sim.state.addComment({ parentId: post.id, from: dana, message: 'forged?' });
    const { feedChangeEntry } = await import('../../../sim/facebook/webhooks.ts');
    expect(
      await sim.webhooks.deliver('feed', [feedChangeEntry(sim.state, c, 'add')], 'not-the-app-secret'),
    ).toBe(403);
    expect(received).toEqual([
      { kind: 'rejected', status: 403, code: 'bad_signature', message: expect.any(String) },
    ]);
    const unsigned = adapter.receiveWebhook!(config(), {
      method: 'POST',
      headers: {},
      query: {},
      rawBody: Buffer.from('{"object":"page"}'),
    });
    expect(unsigned).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('malformed, oversize, non-page and unknown payloads never throw', () => {
    const sign = (b: Buffer) => `sha256=${createHmac('sha256', 'sim-app-secret').update(b).digest('hex')}`;
    const call = (body: string | Buffer) => {
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return adapter.receiveWebhook!(config(), {
        method: 'POST',
        headers: { 'x-hub-signature-256': sign(raw) },
        query: {},
        rawBody: raw,
      });
    };
    expect(call('{oops')).toMatchObject({ kind: 'rejected', status: 400, code: 'malformed_body' });
    expect(call(Buffer.alloc(1024 * 1024 + 1, 32))).toMatchObject({ kind: 'rejected', status: 413 });
    expect(call('{"object":"instagram","entry":[]}')).toMatchObject({
      kind: 'rejected',
      status: 403,
      code: 'wrong_object',
    });
    const odd = {
      object: 'page',
      entry: [
        {
          id: '1',
          changes: [{ field: 'feed', value: { item: 'reaction', verb: 'add' } }, 'junk'],
          messaging: [{ delivery: { watermark: 1 } }, null],
          future: 1,
        },
        7,
      ],
    };
    expect(call(JSON.stringify(odd))).toEqual({ kind: 'posts', posts: [] });
  });
});

describe('facebook adapter against the simulator', () => {
  it('polls feed comments with a since cursor, paging long threads, skipping our own comments', async () => {
    let { cursor } = await fetchInbound(config(), {});
    const post = sim.injectPost({ message: 'Big launch' });
    const first = sim.injectComment({ parentId: post.id, from: dana, message: 'first!' });
    for (let i = 0; i < 250; i++)
      sim.state.addComment({
        parentId: post.id,
        from: { id: `9${i}`, name: `Fan ${i}` },
        message: `comment ${i}`,
      });
    sim.state.addComment({ parentId: first.id, from: sim.state.page, message: 'Thanks Dana!' });
    const reply = sim.injectComment({ parentId: first.id, from: dana, message: 'you are welcome' });
    const out = await fetchInbound(config(), cursor);
    const ids = out.posts.map((p) => p.externalId);
    expect(ids).toHaveLength(252);
    expect(new Set(ids).size).toBe(252);
    expect(out.posts.find((p) => p.externalId === reply.id)).toMatchObject({
      parentExternalId: first.id,
      threadExternalId: post.id,
    });
    cursor = out.cursor;
    expect((await fetchInbound(config(), cursor)).posts).toEqual([]);
    const late = sim.injectComment({ parentId: post.id, from: dana, message: 'one more' });
    expect((await fetchInbound(config(), cursor)).posts.map((p) => p.externalId)).toEqual([late.id]);
  });

  it('a thread longer than one poll is finished on the next poll', async () => {
    let cursor: SyncCursor = (await fetchInbound(config(), {})).cursor;
    const post = sim.injectPost({ message: 'Outage' });
    for (let i = 0; i < 2300; i++)
      sim.state.addComment({ parentId: post.id, from: { id: `8${i}`, name: `C${i}` }, message: `down ${i}` });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const out = await fetchInbound(config(), cursor);
      for (const p of out.posts) seen.add(p.externalId);
      cursor = out.cursor;
    }
    expect(seen.size).toBe(2300);
  });

  it('throttling (error 32 + BUC header) → RateLimitedError at the estimated regain time', async () => {
    sim.forceRateLimit(1, 7);
    const err = await fetchInbound(config(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    const wait = (err as RateLimitedError).retryAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(6.9 * 60_000);
    expect(wait).toBeLessThanOrEqual(7 * 60_000);
    sim.forceRateLimit(1, 2, 429);
    await expect(fetchInbound(config(), {})).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('public reply, private reply in the window, clear errors outside it, and retract', async () => {
    const post = sim.injectPost({ message: 'Prices' });
    const c = sim.injectComment({ parentId: post.id, from: dana, message: 'too expensive' });
    const reply = await adapter.send(config(), {
      idempotencyKey: 'k1',
      text: 'We hear you, Dana.',
      inReplyToExternalId: c.id,
      isPrivate: false,
    });
    expect(sim.sent.at(-1)).toMatchObject({ kind: 'comment', id: reply.externalId, target: c.id });
    sim.injectMessage({ psid: '7002', text: 'hello?' });
    const dm = await adapter.send(config(), {
      idempotencyKey: 'k2',
      text: 'Hi! How can we help?',
      recipientExternalId: '7002',
      isPrivate: true,
    });
    expect(dm.externalId).toMatch(/^m_/);
    const privateReply = await adapter.send(config(), {
      idempotencyKey: 'k3',
      text: 'Sent you a DM',
      inReplyToExternalId: c.id,
      isPrivate: true,
    });
    expect(sim.sent.at(-1)).toMatchObject({ kind: 'message', id: privateReply.externalId, target: dana.id });
    // Client side: known last message older than 24 h → refused without calling Graph.
    const calls = sim.requests.length;
    const old = new Date(Date.now() - 30 * 3600 * 1000).toISOString();
    const local = await adapter
      .send(config(), {
        idempotencyKey: 'k4',
        text: 'late',
        recipientExternalId: '7002',
        isPrivate: true,
        lastCustomerMessageAt: old,
      } as never)
      .catch((e: unknown) => e);
    expect(local).toMatchObject({ code: 'outside_messaging_window' });
    expect(sim.requests.length).toBe(calls);
    // Server side: the platform refuses too (documented error 10 / 2018278).
    sim.injectMessage({ psid: '7003', text: 'long ago', at: Date.now() - 26 * 3600 * 1000 });
    const remote = await adapter
      .send(config(), { idempotencyKey: 'k5', text: 'late', recipientExternalId: '7003', isPrivate: true })
      .catch((e: unknown) => e);
    expect(remote).toBeInstanceOf(ChannelError);
    expect((remote as ChannelError).code).toBe('outside_messaging_window');
    await adapter.retract!(config(), reply.externalId);
    expect(sim.state.commentById.get(reply.externalId)?.deleted).toBe(true);
    await expect(adapter.retract!(config(), reply.externalId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(adapter.retract!(config(), dm.externalId)).rejects.toMatchObject({ code: 'not_supported' });
  });

  it('assertMessagingWindow lets unknown or recent times through', () => {
    expect(() => assertMessagingWindow(undefined)).not.toThrow();
    expect(() => assertMessagingWindow(new Date(Date.now() - 23 * 3600 * 1000).toISOString())).not.toThrow();
  });

  it('a wrong token and a non-JSON answer are clear ChannelErrors', async () => {
    await expect(
      fetchInbound(config({ credentials: { pageAccessToken: 'nope' } }), {}),
    ).rejects.toMatchObject({ code: 'auth_failed' });
    const broken = createServer((_q, r) => r.end('<!doctype html>'));
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
    const err = await fetchInbound(config({ baseUrl: url }), {}).catch((e: unknown) => e);
    await new Promise<void>((r) => broken.close(() => r()));
    expect(err).toMatchObject({ code: 'malformed_response' });
  });
});
