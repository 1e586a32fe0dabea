import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MastodonSim, startMastodonSim } from '../../../sim/mastodon/server.ts';
import { type ChannelConfig, ChannelError, RateLimitedError } from '../types.ts';
import { parseLink } from './http.ts';
import { adapter } from './index.ts';
import { htmlToText } from './map.ts';

let sim: MastodonSim;
let config: ChannelConfig;

beforeAll(async () => {
  sim = await startMastodonSim();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.statuses.length = 0;
  sim.state.byId.clear();
  sim.state.notifications.length = 0;
  sim.state.rateLimit.forcedUntilMs = 0;
  config = {
    id: 'chan-m',
    kind: 'mastodon',
    baseUrl: sim.url,
    credentials: { accessToken: sim.accessToken },
    rules: { keywords: ['refund'], handles: [], sources: [] },
    accountId: '1',
    accountHandle: 'earshot',
  };
});

const fetchIn = (cursor = {}) => adapter.fetchInbound!(config, cursor);

describe('Mastodon adapter against the Mastodon simulator', () => {
  it('fetches mentions, direct messages and keyword hits, then only what is new', async () => {
    const first = await fetchIn(); // empty instance: establishes the cursor
    expect(first.posts).toEqual([]);
    const a = sim.injectStatus({
      text: '@earshot my parcel <b>never</b> came & I am sad',
      author: { username: 'ann', followers: 3 },
    });
    sim.injectStatus({ text: '@earshot order 42, privately', author: 'ben', visibility: 'direct' });
    sim.injectStatus({ text: 'any refund news?', author: 'cat' });
    sim.injectStatus({ text: 'lovely weather', author: 'dan' });
    const second = await fetchIn(first.cursor);
    const byText = Object.fromEntries(second.posts.map((p) => [p.text, p]));
    expect(Object.keys(byText).sort()).toEqual([
      '@earshot my parcel <b>never</b> came & I am sad',
      '@earshot order 42, privately',
      'any refund news?',
    ]);
    expect(byText['@earshot order 42, privately']).toMatchObject({ isPrivate: true, matchedBy: 'direct' });
    expect(byText['any refund news?']?.matchedBy).toBe('search');
    expect(second.posts.find((p) => p.externalId === a.id)).toMatchObject({
      matchedBy: 'mention',
      author: { handle: 'ann', followers: 3 },
    });
    expect((await fetchIn(second.cursor)).posts).toEqual([]);
  });

  it('pages forward through a backlog with the Link header', async () => {
    const start = await fetchIn();
    for (let i = 0; i < 130; i++) sim.injectStatus({ text: `@earshot help ${i}`, author: `u${i % 9}` });
    const r = await fetchIn(start.cursor);
    expect(r.posts).toHaveLength(130);
    expect(new Set(r.posts.map((p) => p.externalId)).size).toBe(130);
    expect((await fetchIn(r.cursor)).posts).toHaveLength(0);
  });

  it('honours the Idempotency-Key: a retried reply is not posted twice', async () => {
    const s = sim.injectStatus({ text: '@earshot hello', author: 'ann' });
    const msg = {
      idempotencyKey: 'outbox-7',
      text: 'Hi Ann, looking into it',
      inReplyToExternalId: s.id,
      isPrivate: false,
    };
    const one = await adapter.send(config, msg);
    const two = await adapter.send(config, msg);
    expect(two.externalId).toBe(one.externalId);
    expect(sim.state.posted).toHaveLength(1);
    expect(sim.state.byId.get(one.externalId)).toMatchObject({ inReplyToId: s.id, visibility: 'public' });
  });

  it('sends a private follow-up as a direct status mentioning the customer, and retracts', async () => {
    const s = sim.injectStatus({
      text: '@earshot hello',
      author: { username: 'ann', remote: 'social.example' },
    });
    const dm = await adapter.send(config, {
      idempotencyKey: 'outbox-8',
      text: 'Could you share your order number?',
      inReplyToExternalId: s.id,
      recipientExternalId: s.accountId,
      isPrivate: true,
    });
    const posted = sim.state.byId.get(dm.externalId)!;
    expect(posted).toMatchObject({
      visibility: 'direct',
      text: '@ann@social.example Could you share your order number?',
    });
    await adapter.retract!(config, dm.externalId);
    expect(sim.state.byId.get(dm.externalId)?.deleted).toBe(true);
    await adapter.retract!(config, dm.externalId);
  });

  it('reports statuses deleted since the last poll', async () => {
    const start = await fetchIn();
    const s = sim.injectStatus({ text: 'refund please', author: 'ann' });
    const r = await fetchIn(start.cursor);
    sim.deleteStatus(s.id);
    expect((await fetchIn(r.cursor)).deleted).toEqual([s.id]);
  });

  it('throws RateLimitedError with the ISO reset on 429, and maps other errors', async () => {
    sim.force429(5);
    const err = await fetchIn().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
    sim.state.rateLimit.forcedUntilMs = 0;
    const bad = { ...config, credentials: { accessToken: 'nope' } };
    await expect(adapter.fetchInbound!(bad, {})).rejects.toMatchObject({ code: 'unauthorized' });
    const long = await adapter
      .send(config, { idempotencyKey: 'k', text: 'x'.repeat(501), isPrivate: false })
      .catch((e: unknown) => e);
    expect(long).toBeInstanceOf(ChannelError);
    expect((long as ChannelError).code).toBe('invalid_request');
  });

  it('rejects oversized bodies with a clear error', async () => {
    const { createServer } = await import('node:http');
    const srv = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${'"x",'.repeat(1_500_000)}"x"]`);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const huge = { ...config, baseUrl: `http://127.0.0.1:${port}` };
    await expect(adapter.fetchInbound!(huge, {})).rejects.toMatchObject({ code: 'body_too_large' });
    srv.close();
  });
});

describe('Mastodon parsing helpers', () => {
  it('turns status HTML into text and reads Link headers', () => {
    expect(
      htmlToText(
        '<p>Hi <span class="h-card"><a href="x">@<span>ann</span></a></span> &amp; co</p><p>line<br />two &#39;ok&#x27;</p>',
      ),
    ).toBe("Hi @ann & co\n\nline\ntwo 'ok'");
    const link = parseLink(
      '<https://m.example/api/v1/notifications?max_id=5>; rel="next", <https://m.example/api/v1/notifications?min_id=9>; rel="prev"',
    );
    expect(link.next?.searchParams.get('max_id')).toBe('5');
    expect(link.prev?.searchParams.get('min_id')).toBe('9');
  });
});

describe('Mastodon adapter against a misbehaving server', () => {
  it('reports non-JSON answers as malformed payloads', async () => {
    const { createServer } = await import('node:http');
    const srv = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const err = await adapter.fetchInbound!({ ...config, baseUrl: `http://127.0.0.1:${port}` }, {}).catch(
      (e: unknown) => e,
    );
    srv.close();
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe('malformed_payload');
  });
});
