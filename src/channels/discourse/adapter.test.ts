import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscourseSim, startDiscourseSim } from '../../../sim/discourse/server.ts';
import {
  type ChannelConfig,
  ChannelError,
  RateLimitedError,
  type SyncCursor,
  type WebhookResult,
} from '../types.ts';
import { adapter } from './index.ts';

let sim: DiscourseSim;
let receiver: Server;
const received: WebhookResult[] = [];
const fetchInbound = adapter.fetchInbound!;

function config(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'disc-1',
    kind: 'discourse',
    baseUrl: sim.url,
    credentials: {
      apiKey: 'sim-api-key',
      apiUsername: 'earshot_support',
      webhookSecret: 'sim-webhook-secret',
    },
    rules: { keywords: ['acme'], handles: [], sources: [] },
    accountHandle: 'earshot_support',
    ...overrides,
  };
}

beforeAll(async () => {
  sim = await startDiscourseSim({ pageSize: 50 });
  // A small receiver standing in for Earshot's webhook route: raw body in, receiveWebhook, status out.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = adapter.receiveWebhook!(config(), {
        method: req.method ?? 'POST',
        headers: req.headers,
        query: {},
        rawBody: Buffer.concat(chunks),
      });
      received.push(out);
      res.statusCode = out.kind === 'rejected' ? out.status : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  sim.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/discourse`);
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('discourse adapter against the simulator', () => {
  it('polls latest posts with a last-seen-id cursor, keeping mentions and keyword matches', async () => {
    let { cursor } = await fetchInbound(config(), {});
    const { topic } = sim.createTopic({
      title: 'Printer question',
      author: 'dana',
      raw: 'My Acme printer jams on page 2',
    });
    sim.injectPost({ topicId: topic.id, author: 'finn', raw: 'Unrelated chatter about lunch' });
    sim.injectPost({ topicId: topic.id, author: 'gil', raw: 'Maybe @earshot_support knows?' });
    const out = await fetchInbound(config(), cursor);
    expect(out.posts.map((p) => [p.author.handle, p.matchedBy])).toEqual([
      ['gil', 'mention'],
      ['dana', 'search'],
    ]);
    expect(out.posts[1]).toMatchObject({
      threadExternalId: String(topic.id),
      isPrivate: false,
      text: 'My Acme printer jams on page 2',
    });
    expect(out.posts[1]?.url).toBe(`${sim.url}/t/printer-question/${topic.id}/1`);
    cursor = out.cursor;
    expect((await fetchInbound(config(), cursor)).posts).toEqual([]);
  });

  it('pages a backlog with before=<id> over several polls, nothing lost or repeated', async () => {
    let cursor: SyncCursor = (await fetchInbound(config(), {})).cursor;
    const hookUrl = sim.options.webhookUrl;
    sim.setWebhookUrl(undefined);
    const { topic } = sim.createTopic({
      title: 'Mega thread about acme',
      author: 'op',
      raw: 'acme megathread',
    });
    for (let i = 0; i < 1200; i++)
      sim.injectPost({ topicId: topic.id, author: `u${i % 7}`, raw: `acme issue number ${i}` });
    const seen: string[] = [];
    let polls = 0;
    do {
      const out = await fetchInbound(config(), cursor);
      seen.push(...out.posts.map((p) => p.externalId));
      cursor = out.cursor;
      polls += 1;
    } while (cursor.scanBefore !== undefined && polls < 5);
    expect(polls).toBe(2);
    expect(seen).toHaveLength(1201);
    expect(new Set(seen).size).toBe(1201);
    sim.setWebhookUrl(hookUrl);
  });

  it('search mode asks /search.json per keyword and only returns posts newer than the mark', async () => {
    const cfg = config({
      credentials: { ...config().credentials, mode: 'search' },
      rules: { keywords: ['warranty claim'], handles: [], sources: [] },
    });
    const first = await fetchInbound(cfg, {});
    const { topic } = sim.createTopic({
      title: 'Returns',
      author: 'hana',
      raw: 'How do I file a warranty claim for acme?',
    });
    const out = await fetchInbound(cfg, first.cursor);
    expect(out.posts.map((p) => p.threadExternalId)).toEqual([String(topic.id)]);
    expect(sim.requests.some((r) => r.path === '/search.json')).toBe(true);
  });

  it('429 → RateLimitedError honouring Retry-After', async () => {
    sim.force429(1, 12);
    const err = await fetchInbound(config(), { lastPostId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    const wait = (err as RateLimitedError).retryAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(10_000);
    expect(wait).toBeLessThanOrEqual(12_000);
  });

  it('replies into the topic with reply_to_post_number, sends a private message, retracts', async () => {
    const { topic } = sim.createTopic({
      title: 'Billing twice',
      author: 'ivy',
      raw: 'I was billed twice by acme',
    });
    const second = sim.injectPost({ topicId: topic.id, author: 'jo', raw: 'me too, acme' });
    const reply = await adapter.send(config(), {
      idempotencyKey: 'k1',
      text: 'Sorry about that, looking now.',
      inReplyToExternalId: String(second.id),
      isPrivate: false,
    });
    const posted = sim.posted.at(-1)!;
    expect(reply.externalId).toBe(String(posted.id));
    expect(posted).toMatchObject({ topicId: topic.id, replyToPostNumber: 2 });
    expect(reply.url).toBe(`${sim.url}/t/billing-twice/${topic.id}/3`);
    const pm = await adapter.send(config(), {
      idempotencyKey: 'k2',
      text: 'Could you send the invoice number?',
      recipientExternalId: 'ivy',
      isPrivate: true,
    });
    const pmTopic = sim.state.topics.get(sim.posted.at(-1)!.topicId)!;
    expect(pmTopic).toMatchObject({ archetype: 'private_message', allowed: ['earshot_support', 'ivy'] });
    expect(pm.externalId).toBe(String(sim.posted.at(-1)!.id));
    await adapter.retract!(config(), reply.externalId);
    expect(sim.state.postById.get(Number(reply.externalId))?.deletedAt).not.toBeNull();
    await expect(adapter.retract!(config(), reply.externalId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a wrong API key is a clear forbidden error', async () => {
    const cfg = config({ credentials: { apiKey: 'wrong', apiUsername: 'earshot_support' } });
    await expect(fetchInbound(cfg, {})).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });
});

describe('discourse webhooks', () => {
  it('a signed post_created becomes a post; a private message is private; post_destroyed is a deletion', async () => {
    await sim.flushWebhooks();
    received.length = 0;
    const { topic, post } = sim.createTopic({
      title: 'Acme app crash',
      author: 'kim',
      raw: 'The acme app crashes at login',
    });
    const pm = sim.injectPrivateMessage({
      from: 'kim',
      to: 'earshot_support',
      title: 'Account email change',
      raw: 'Please change my email',
    });
    sim.deletePost(post.id);
    await sim.flushWebhooks();
    expect(sim.deliveries.slice(-3).map((d) => d.status)).toEqual([200, 200, 200]);
    const [created, privateMsg, destroyed] = received;
    expect(created).toMatchObject({
      kind: 'posts',
      posts: [{ externalId: String(post.id), threadExternalId: String(topic.id), matchedBy: 'search' }],
    });
    expect(privateMsg).toMatchObject({
      kind: 'posts',
      posts: [{ externalId: String(pm.post.id), isPrivate: true, matchedBy: 'direct' }],
    });
    expect(destroyed).toEqual({ kind: 'posts', posts: [], deleted: [String(post.id)] });
  });

  it('the same post by webhook and by polling has the same external id', async () => {
    const { cursor } = await fetchInbound(config(), {});
    received.length = 0;
    const { post } = sim.createTopic({
      title: 'Acme delivery late',
      author: 'lee',
      raw: 'acme delivery is late',
    });
    await sim.flushWebhooks();
    const polled = await fetchInbound(config(), cursor);
    const hooked = received[0];
    expect(hooked?.kind === 'posts' && hooked.posts[0]?.externalId).toBe(String(post.id));
    expect(polled.posts.map((p) => p.externalId)).toContain(String(post.id));
  });

  it('a wrong signature is rejected with 403 and nothing is kept', async () => {
    received.length = 0;
    const { post } = sim.createTopic({ title: 'Another acme topic', author: 'mo', raw: 'acme again' });
    await sim.flushWebhooks();
    received.length = 0;
    expect(await sim.deliver('post_created', post, 'not-the-secret')).toBe(403);
    expect(received).toEqual([
      { kind: 'rejected', status: 403, code: 'bad_signature', message: expect.any(String) },
    ]);
  });

  it('missing signature, malformed JSON, oversize and unknown events are handled without throwing', () => {
    const cfg = config();
    const sign = (body: Buffer) =>
      `sha256=${createHmac('sha256', 'sim-webhook-secret').update(body).digest('hex')}`;
    const call = (body: Buffer, headers: Record<string, string>) =>
      adapter.receiveWebhook!(cfg, { method: 'POST', headers, query: {}, rawBody: body });
    expect(call(Buffer.from('{}'), {})).toMatchObject({ kind: 'rejected', status: 403 });
    const junk = Buffer.from('{not json');
    expect(call(junk, { 'x-discourse-event-signature': sign(junk) })).toMatchObject({
      kind: 'rejected',
      status: 400,
      code: 'malformed_body',
    });
    const big = Buffer.alloc(2 * 1024 * 1024, 32);
    expect(call(big, { 'x-discourse-event-signature': sign(big) })).toMatchObject({
      kind: 'rejected',
      status: 413,
    });
    const other = Buffer.from(JSON.stringify({ user: { id: 1 }, unknown_field: true }));
    expect(
      call(other, { 'x-discourse-event-signature': sign(other), 'x-discourse-event': 'user_created' }),
    ).toEqual({ kind: 'posts', posts: [] });
    const odd = Buffer.from(JSON.stringify({ post: { id: 'x', created_at: 'yesterday', extra: [1] } }));
    expect(
      call(odd, { 'x-discourse-event-signature': sign(odd), 'x-discourse-event': 'post_created' }),
    ).toEqual({ kind: 'posts', posts: [] });
  });

  it('malformed poll responses are ChannelErrors', async () => {
    const broken = createServer((_req, res) => res.end('<html>maintenance</html>'));
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const cfg = config({ baseUrl: `http://127.0.0.1:${(broken.address() as AddressInfo).port}` });
    const err = await fetchInbound(cfg, {}).catch((e: unknown) => e);
    await new Promise<void>((r) => broken.close(() => r()));
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe('malformed_response');
  });
});
