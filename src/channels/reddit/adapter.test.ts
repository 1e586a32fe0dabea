import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RedditSim, startRedditSim } from '../../../sim/reddit/server.ts';
import { type ChannelConfig, ChannelError, RateLimitedError, type SyncCursor } from '../types.ts';
import { adapter } from './index.ts';

let sim: RedditSim;
const fetchInbound = adapter.fetchInbound!;

function config(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'reddit-1',
    kind: 'reddit',
    baseUrl: sim.url,
    credentials: {
      clientId: 'sim-client',
      clientSecret: 'sim-secret',
      username: 'earshot_support',
      password: 'sim-password',
    },
    rules: { keywords: ['acme router'], handles: [], sources: ['r/acme'] },
    accountHandle: 'earshot_support',
    ...overrides,
  };
}
const tokenCalls = () => sim.requests.filter((r) => r.path.startsWith('/api/v1/access_token')).length;

beforeAll(async () => {
  sim = await startRedditSim();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setRateLimit(1000, 600);
});

describe('reddit adapter against the simulator', () => {
  it('fetches a token once, keeps it in the cursor, and listens to search, comments, mentions and messages', async () => {
    const before = tokenCalls();
    const first = await fetchInbound(config(), {});
    expect(first.posts).toEqual([]);
    expect(typeof first.cursor.accessToken).toBe('string');
    const s = sim.injectSubmission({
      subreddit: 'acme',
      author: 'dana',
      title: 'My Acme Router keeps rebooting',
    });
    sim.injectSubmission({ subreddit: 'acme', author: 'eve', title: 'Unrelated cats' });
    sim.injectSubmission({ subreddit: 'elsewhere', author: 'eve', title: 'acme router elsewhere' });
    const c = sim.injectComment({
      parent: `t3_${s.id}`,
      author: 'finn',
      body: 'same with my acme router since Tuesday',
    });
    sim.injectComment({ parent: `t1_${c.id}`, author: 'gil', body: 'paging u/earshot_support' });
    sim.injectMessage({
      from: 'dana',
      to: 'earshot_support',
      subject: 'order',
      body: 'order 991 never came',
    });
    const second = await fetchInbound(config(), first.cursor);
    expect(tokenCalls() - before).toBe(1);
    const byId = new Map(second.posts.map((p) => [p.externalId, p]));
    expect(byId.get(`t3_${s.id}`)).toMatchObject({
      matchedBy: 'search',
      isPrivate: false,
      author: { handle: 'dana' },
    });
    expect(byId.get(`t1_${c.id}`)).toMatchObject({ matchedBy: 'search', threadExternalId: `t3_${s.id}` });
    expect([...byId.values()].find((p) => p.matchedBy === 'mention')?.text).toBe('paging u/earshot_support');
    expect([...byId.values()].find((p) => p.isPrivate)).toMatchObject({
      text: 'order 991 never came',
      matchedBy: 'direct',
    });
    expect(second.posts).toHaveLength(4);
    expect(second.rateLimit?.remaining).toBeGreaterThan(0);
    const third = await fetchInbound(config(), second.cursor);
    expect(third.posts).toEqual([]);
  });

  it('pages a backlog larger than one poll with after cursors, losing and repeating nothing', async () => {
    const cfg = config({ rules: { keywords: ['widget'], handles: [], sources: ['widgets'] } });
    let cursor: SyncCursor = (await fetchInbound(cfg, {})).cursor;
    const s = sim.injectSubmission({ subreddit: 'widgets', author: 'op', title: 'thread' });
    for (let i = 0; i < 1500; i++)
      sim.injectComment({ parent: `t3_${s.id}`, author: `u${i}`, body: `widget complaint ${i}` });
    const seen: string[] = [];
    let polls = 0;
    do {
      const out = await fetchInbound(cfg, cursor);
      seen.push(...out.posts.map((p) => p.externalId));
      cursor = out.cursor;
      polls += 1;
    } while (cursor['comments.scanAfter'] && polls < 5);
    expect(polls).toBe(2);
    expect(seen).toHaveLength(1500);
    expect(new Set(seen).size).toBe(1500);
    expect((await fetchInbound(cfg, cursor)).posts).toEqual([]);
  });

  it('429 → RateLimitedError with retryAt from x-ratelimit-reset', async () => {
    const { cursor } = await fetchInbound(config(), {});
    sim.force429(1, 90);
    const err = await fetchInbound(config(), cursor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    const wait = (err as RateLimitedError).retryAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(85_000);
    expect(wait).toBeLessThan(91_000);
  });

  it('remaining < 1 stops the poll, keeps what it read, and the next poll backs off without calling', async () => {
    const { cursor } = await fetchInbound(config(), {});
    sim.injectMessage({ from: 'hal', to: 'earshot_support', subject: 's', body: 'still waiting' });
    sim.setRateLimit(2, 30);
    const out = await fetchInbound(config(), cursor);
    expect(out.posts.map((p) => p.text)).toEqual(['still waiting']);
    expect(out.rateLimit?.remaining).toBe(0);
    const blockedUntil = Date.parse(String(out.cursor.blockedUntil));
    expect(blockedUntil - Date.now()).toBeGreaterThan(25_000);
    const calls = sim.requests.length;
    const err = await fetchInbound(config(), out.cursor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(sim.requests.length).toBe(calls);
  });

  it('renews an expired token and carries on', async () => {
    const { cursor } = await fetchInbound(config(), {});
    sim.expireTokens();
    const before = tokenCalls();
    const out = await fetchInbound(config(), cursor);
    expect(tokenCalls() - before).toBe(1);
    expect(out.cursor.accessToken).not.toBe(cursor.accessToken);
  });

  it('replies with thing_id, sends a private message, and retracts with del', async () => {
    const s = sim.injectSubmission({ subreddit: 'acme', author: 'ivy', title: 'acme router help' });
    const reply = await adapter.send(config(), {
      idempotencyKey: 'k1',
      text: 'Sorry! DM us?',
      inReplyToExternalId: `t3_${s.id}`,
      isPrivate: false,
    });
    expect(reply.externalId).toMatch(/^t1_/);
    expect(sim.state.posted.at(-1)).toMatchObject({
      kind: 'comment',
      parent: `t3_${s.id}`,
      text: 'Sorry! DM us?',
    });
    const pm = await adapter.send(config(), {
      idempotencyKey: 'k2',
      text: 'Your order number?',
      recipientExternalId: 'ivy',
      isPrivate: true,
    });
    expect(pm.externalId).toMatch(/^t4_/);
    expect(sim.state.posted.at(-1)).toMatchObject({ kind: 'message', to: 'ivy' });
    await adapter.retract!(config(), reply.externalId);
    expect(sim.state.deletedViaApi).toContain(reply.externalId);
    await expect(adapter.retract!(config(), pm.externalId)).rejects.toMatchObject({ code: 'not_supported' });
  });

  it('a reply to a deleted comment is a clear ChannelError', async () => {
    const s = sim.injectSubmission({ subreddit: 'acme', author: 'jo', title: 'x' });
    sim.deleteThing(`t3_${s.id}`);
    const err = await adapter
      .send(config(), {
        idempotencyKey: 'k3',
        text: 'hi',
        inReplyToExternalId: `t3_${s.id}`,
        isPrivate: false,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe('deleted_comment');
  });

  it('uses a refresh token when the channel has one (code-flow apps)', async () => {
    const refreshToken = sim.issueRefreshToken('earshot_support');
    const cfg = config({ credentials: { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken } });
    const out = await fetchInbound(cfg, {});
    expect(typeof out.cursor.accessToken).toBe('string');
    const bad = config({
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: 'revoked' },
    });
    await expect(fetchInbound(bad, {})).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('bad credentials are a clear auth error', async () => {
    const cfg = config({
      credentials: {
        clientId: 'sim-client',
        clientSecret: 'sim-secret',
        username: 'earshot_support',
        password: 'nope',
      },
    });
    await expect(fetchInbound(cfg, {})).rejects.toMatchObject({ code: 'auth_failed' });
  });
});

describe('reddit adapter against a broken server', () => {
  let server: Server;
  let url: string;
  let mode: 'html' | 'huge' = 'html';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/api/v1/access_token')) {
        res.end(JSON.stringify({ access_token: 't', token_type: 'bearer', expires_in: 3600 }));
      } else if (mode === 'html') {
        res.setHeader('content-type', 'text/html');
        res.end('<html>we are down</html>');
      } else {
        res.write('{"kind":"Listing","data":{"children":[');
        const chunk = `${'{"kind":"t1","data":{"name":"t1_x"}},'.repeat(2000)}`;
        for (let i = 0; i < 200; i++) res.write(chunk);
        res.end('{}]}}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a non-JSON body is a ChannelError, not a crash', async () => {
    await expect(fetchInbound(config({ baseUrl: url }), {})).rejects.toMatchObject({
      code: 'malformed_response',
    });
  });

  it('an oversize body is rejected', async () => {
    mode = 'huge';
    const err = await fetchInbound(config({ baseUrl: url }), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe('response_too_large');
  });
});
