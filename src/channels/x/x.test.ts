import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXSim, type XSim } from '../../../sim/x/server.ts';
import { type ChannelConfig, ChannelError, RateLimitedError } from '../types.ts';
import { X_MAX_PAGES } from './fetch.ts';
import { adapter } from './index.ts';

let sim: XSim;
let config: ChannelConfig;

beforeAll(async () => {
  sim = await startXSim();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.tweets.length = 0;
  sim.state.byId.clear();
  sim.state.dms.length = 0;
  sim.state.buckets.clear();
  config = {
    id: 'chan-x',
    kind: 'x',
    baseUrl: sim.url,
    credentials: { bearerToken: sim.bearerToken, caCert: sim.ca },
    rules: { keywords: ['refund', 'still broken'], handles: ['acme'], sources: [] },
    accountId: '1000',
    accountHandle: 'earshot_help',
  };
});

const fetch = (cursor = {}) => adapter.fetchInbound!(config, cursor);

describe('X adapter against the X simulator', () => {
  it('fetches search hits, mentions and DMs once, then only what is new', async () => {
    const a = sim.injectTweet({ text: 'I want a refund', author: { username: 'ann', followers: 99 } });
    sim.injectTweet({ text: 'the app is still broken, sigh', author: 'ben' });
    sim.injectTweet({ text: 'unrelated chatter', author: 'cat' });
    sim.injectTweet({ text: 'hey @earshot_help where is my parcel', author: 'dan' });
    sim.injectTweet({ text: 'refund issued, thanks', author: 'earshot_help' }); // our own post
    sim.injectDm({ text: 'my order number is 42', from: 'ann' });
    const first = await fetch();
    expect(first.posts.map((p) => p.text).sort()).toEqual([
      'I want a refund',
      'hey @earshot_help where is my parcel',
      'my order number is 42',
      'the app is still broken, sigh',
    ]);
    const ann = first.posts.find((p) => p.externalId === a.id)!;
    expect(ann).toMatchObject({
      matchedBy: 'search',
      isPrivate: false,
      author: { handle: 'ann', followers: 99 },
    });
    expect(first.posts.find((p) => p.isPrivate)).toMatchObject({
      matchedBy: 'direct',
      author: { handle: 'ann' },
    });
    expect(first.posts.find((p) => p.text.includes('parcel'))?.matchedBy).toBe('mention');

    const second = await fetch(first.cursor);
    expect(second.posts).toEqual([]);
    const c = sim.injectTweet({ text: 'refund still missing', author: 'eve', inReplyTo: a.id });
    const third = await fetch(second.cursor);
    expect(third.posts.map((p) => p.externalId)).toEqual([c.id]);
    expect(third.posts[0]).toMatchObject({ threadExternalId: a.id, parentExternalId: a.id });
  });

  it('gives the same external id for the same post fetched twice', async () => {
    sim.injectTweet({ text: 'refund please', author: 'ann' });
    const [x, y] = [await fetch(), await fetch()];
    expect(x.posts.map((p) => p.externalId)).toEqual(y.posts.map((p) => p.externalId));
  });

  it('pages with next_token and resumes a backlog from the stored token', async () => {
    const total = X_MAX_PAGES * 100 + 150;
    for (let i = 0; i < total; i++) sim.injectTweet({ text: `refund request ${i}`, author: `user${i % 50}` });
    const first = await fetch();
    expect(first.posts).toHaveLength(X_MAX_PAGES * 100);
    expect(first.cursor.searchToken).toBeTruthy();
    const second = await fetch(first.cursor);
    expect(second.posts).toHaveLength(150);
    expect(second.cursor.searchToken).toBeNull();
    const ids = new Set([...first.posts, ...second.posts].map((p) => p.externalId));
    expect(ids.size).toBe(total);
    sim.injectTweet({ text: 'one more refund', author: 'zed' });
    expect((await fetch(second.cursor)).posts.map((p) => p.text)).toEqual(['one more refund']);
  });

  it('throws RateLimitedError with the reset time on 429 and works again afterwards', async () => {
    sim.injectTweet({ text: 'refund?', author: 'ann' });
    sim.force429(2, '/2/tweets/search/recent');
    const err = await fetch().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    const retryAt = (err as RateLimitedError).retryAt.getTime();
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 3_000);
    await new Promise((r) => setTimeout(r, retryAt - Date.now() + 50));
    expect((await fetch()).posts).toHaveLength(1);
  });

  it('reports the remaining rate limit', async () => {
    const r = await fetch();
    expect(r.rateLimit?.remaining).toBeGreaterThan(0);
    expect(Date.parse(r.rateLimit!.resetAt!)).toBeGreaterThan(Date.now());
  });

  it('replies, sends a DM and retracts', async () => {
    const t = sim.injectTweet({ text: 'refund?', author: 'ann' });
    const reply = await adapter.send(config, {
      idempotencyKey: 'o1',
      text: 'Sorry Ann, DM us your order number',
      inReplyToExternalId: t.id,
      isPrivate: false,
    });
    const posted = sim.state.byId.get(reply.externalId)!;
    expect(posted).toMatchObject({ inReplyToTweetId: t.id, authorId: '1000', conversationId: t.id });
    expect(reply.url).toContain(reply.externalId);
    const dm = await adapter.send(config, {
      idempotencyKey: 'o2',
      text: 'Here is your refund link',
      recipientExternalId: t.authorId,
      isPrivate: true,
    });
    expect(sim.state.sentDms.map((d) => d.id)).toContain(dm.externalId);
    await adapter.retract!(config, reply.externalId);
    expect(sim.state.byId.get(reply.externalId)?.deleted).toBe(true);
    await adapter.retract!(config, reply.externalId); // already gone: no error
  });

  it('reports posts deleted on the platform since the last poll', async () => {
    const t = sim.injectTweet({ text: 'refund now', author: 'ann' });
    const first = await fetch();
    sim.deleteTweet(t.id);
    const second = await fetch(first.cursor);
    expect(second.deleted).toEqual([t.id]);
    expect(String(second.cursor.watchIds ?? '')).not.toContain(t.id);
  });

  it('refuses a response over the body size limit with a clear error', async () => {
    for (let i = 0; i < 100; i++) sim.injectTweet({ text: `refund ${'x'.repeat(60_000)}`, author: 'spam' });
    await expect(fetch()).rejects.toMatchObject({ code: 'body_too_large' });
  });

  it('maps a wrong token and an over-long reply to ChannelErrors', async () => {
    const bad = { ...config, credentials: { ...config.credentials, bearerToken: 'nope' } };
    await expect(adapter.fetchInbound!(bad, {})).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    const err = await adapter
      .send(config, { idempotencyKey: 'o3', text: 'x'.repeat(281), isPrivate: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe('forbidden');
  });
});
