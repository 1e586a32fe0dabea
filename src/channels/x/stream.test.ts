import { createServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simTls } from '../../../sim/shared/tls.ts';
import { startXSim, type XSim } from '../../../sim/x/server.ts';
import type { InboundPost } from '../../domain/inbound-post.ts';
import type { ChannelConfig } from '../types.ts';
import { backoffDelay, type StreamEvent, streamTweets, syncStreamRules } from './stream.ts';

let sim: XSim;
let config: ChannelConfig;

beforeAll(async () => {
  sim = await startXSim({ heartbeatMs: 100 });
  config = {
    id: 'chan-x',
    kind: 'x',
    baseUrl: sim.url,
    credentials: { bearerToken: sim.bearerToken, caCert: sim.ca },
    rules: { keywords: ['outage'], handles: ['earshot_help'], sources: [] },
    accountId: '1000',
    accountHandle: 'earshot_help',
  };
  await syncStreamRules(config);
});
afterAll(() => sim.close());

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('X filtered stream consumer', () => {
  it('follows the documented back-off schedule', () => {
    expect([1, 2, 64, 65].map((n) => backoffDelay('network', n))).toEqual([250, 500, 16_000, 16_000]);
    expect([1, 2, 3, 7, 8].map((n) => backoffDelay('http', n))).toEqual([
      5_000, 10_000, 20_000, 320_000, 320_000,
    ]);
    expect([1, 2, 3].map((n) => backoffDelay('rate_limit', n))).toEqual([60_000, 120_000, 240_000]);
  });

  it('keeps one rule per channel in sync with the listening rules', async () => {
    await syncStreamRules(config);
    expect(sim.state.rules.filter((r) => r.tag === 'earshot:chan-x')).toHaveLength(1);
    expect(sim.state.rules[0]?.value).toBe('(outage OR @earshot_help) -is:retweet -from:earshot_help');
  });

  it('delivers matching posts, survives a dropped connection and backs off on HTTP errors and 429', async () => {
    const posts: InboundPost[] = [];
    const events: StreamEvent[] = [];
    const ac = new AbortController();
    const done = streamTweets(config, (p) => posts.push(p), ac.signal, {
      onEvent: (e) => events.push(e),
      delayScale: 0.001,
    });
    await until(() => sim.stream.size === 1);
    const first = sim.injectTweet({ text: 'big outage in Leeds', author: { username: 'ann', followers: 5 } });
    sim.injectTweet({ text: 'nothing to see', author: 'ben' });
    await until(() => posts.length === 1);
    expect(posts[0]).toMatchObject({
      externalId: first.id,
      author: { handle: 'ann', followers: 5 },
      matchedBy: 'search',
    });

    // Dropped mid-stream: reconnect at once, then two 503s (5 s, 10 s) and a 429 (1 min) before it reopens.
    sim.stream.failNext.push(503, 503, 429);
    sim.dropStreams();
    await until(() => events.filter((e) => e.type === 'connected').length === 2);
    const backoffs = events.filter((e) => e.type === 'backoff');
    expect(backoffs.map((e) => [e.kind, e.delayMs])).toEqual([
      ['reconnect', 0],
      ['http', 5_000],
      ['http', 10_000],
      ['rate_limit', 60_000],
    ]);
    const second = sim.injectTweet({ text: 'outage again @earshot_help', author: 'cat' });
    await until(() => posts.length === 2);
    expect(posts[1]?.externalId).toBe(second.id);
    sim.injectTweet({ text: 'outage fixed', author: 'earshot_help' }); // our own: skipped
    ac.abort();
    await done;
    expect(posts).toHaveLength(2);
  });

  it('gives up with a clear error when the credentials are refused', async () => {
    const bad = { ...config, credentials: { ...config.credentials, bearerToken: 'wrong' } };
    await expect(streamTweets(bad, () => {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('treats silence as a stall and reconnects', async () => {
    const quiet = await startXSim({ heartbeatMs: 60_000 });
    const events: StreamEvent[] = [];
    const ac = new AbortController();
    const qc = {
      ...config,
      baseUrl: quiet.url,
      credentials: { bearerToken: quiet.bearerToken, caCert: quiet.ca },
    };
    const done = streamTweets(qc, () => {}, ac.signal, { onEvent: (e) => events.push(e), stallMs: 150 });
    await until(() => events.filter((e) => e.type === 'connected').length >= 2);
    ac.abort();
    await done;
    await quiet.close();
    expect(events.find((e) => e.type === 'disconnected')).toMatchObject({ reason: 'no data for 150 ms' });
  });

  it('skips unparseable and oversized stream lines without stopping', async () => {
    const tls = simTls();
    const srv = createServer(tls, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": {"id": "12", "text": "truncated\r\n');
      res.write(
        '\r\n{"data":{"id":"1460323737035677698","text":"outage","author_id":"7","surprise":[1]}}\r\n',
      );
      res.write(`{"data":{"id":"13","text":"${'x'.repeat(1_100_000)}`);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    const posts: InboundPost[] = [];
    const events: StreamEvent[] = [];
    const ac = new AbortController();
    const done = streamTweets(
      {
        ...config,
        baseUrl: `https://127.0.0.1:${port}`,
        credentials: { bearerToken: 't', caCert: tls.cert },
      },
      (p) => posts.push(p),
      ac.signal,
      { onEvent: (e) => events.push(e) },
    );
    await until(() =>
      events.some((e) => e.type === 'error' && (e.error as { code?: string }).code === 'body_too_large'),
    );
    ac.abort();
    await done;
    srv.closeAllConnections();
    srv.close();
    expect(posts.map((p) => p.externalId)).toEqual(['1460323737035677698']);
    expect(
      events.some((e) => e.type === 'error' && (e.error as { code?: string }).code === 'malformed_payload'),
    ).toBe(true);
  });
});
