import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RssSim, startRssSim } from '../../../sim/rss/server.ts';
import { type ChannelConfig, ChannelError } from '../types.ts';
import { adapter } from './index.ts';

let sim: RssSim;
beforeAll(async () => {
  sim = await startRssSim();
});
afterAll(() => sim.close());

const cfg = (sources: string[], keywords: string[] = []): ChannelConfig => ({
  id: 'chan-rss',
  kind: 'rss',
  baseUrl: sim.url,
  credentials: {},
  rules: { keywords, handles: [], sources },
});

describe('RSS/Atom adapter against the feed simulator', () => {
  for (const format of ['rss', 'atom'] as const) {
    it(`reads a ${format} feed, filters by keyword and returns only new items`, async () => {
      const path = `/${format}/forum.xml`;
      sim.addFeed(path, { format, title: 'Acme forum' });
      sim.appendItem(path, {
        title: 'Router keeps rebooting',
        content: '<p>Since the update my <b>router</b> reboots</p>',
        author: 'jo',
      });
      sim.appendItem(path, { title: 'Garden party photos', content: 'nothing to see' });
      const config = cfg([path], ['router', 'refund']);
      const first = await adapter.fetchInbound!(config, {});
      expect(first.posts).toHaveLength(1);
      expect(first.posts[0]).toMatchObject({
        channelKind: 'rss',
        matchedBy: 'feed',
        isPrivate: false,
        author: { handle: 'jo' },
        text: 'Router keeps rebooting\n\nSince the update my router reboots',
      });
      expect(first.posts[0]?.url).toMatch(/\/posts\/\d+$/);
      expect((await adapter.fetchInbound!(config, first.cursor)).posts).toEqual([]); // 304 or all seen
      sim.appendItem(path, { title: 'Refund for the broken router?' });
      const third = await adapter.fetchInbound!(config, first.cursor);
      expect(third.posts.map((p) => p.text)).toEqual(['Refund for the broken router?']);
      const again = await adapter.fetchInbound!(config, {});
      expect(again.posts.map((p) => p.externalId).sort()).toEqual(
        [first.posts[0]!.externalId, third.posts[0]!.externalId].sort(),
      );
    });
  }

  it('reads a recorded real feed served by the simulator', async () => {
    sim.serveRecorded('/heise.atom', 'rss-parser/input/heise.atom');
    const r = await adapter.fetchInbound!(cfg(['/heise.atom'], ['Java']), {});
    expect(r.posts.length).toBeGreaterThan(0);
    expect(r.posts[0]?.url).toContain('heise.de');
  });

  it('survives malformed and oversized feeds with a clear error, keeping the good feeds', async () => {
    sim.serveRaw('/broken.xml', '<rss version="2.0"><channel><item><title>oops</title></channel>');
    sim.serveRaw('/notafeed.xml', '<html><body>hello</body></html>', 'text/html');
    sim.serveRaw(
      '/huge.xml',
      `<rss version="2.0"><channel>${'<item><title>x</title></item>'.repeat(200_000)}</channel></rss>`,
    );
    for (const [path, code] of [
      ['/broken.xml', 'malformed_feed'],
      ['/notafeed.xml', 'malformed_feed'],
      ['/huge.xml', 'body_too_large'],
      ['/missing.xml', 'feed_http_error'],
    ]) {
      const err = await adapter.fetchInbound!(cfg([path!]), {}).catch((e: unknown) => e);
      expect(err, path).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).code, path).toBe(code);
      expect((err as ChannelError).message).toContain(path);
    }
    sim.addFeed('/ok.xml');
    sim.appendItem('/ok.xml', { title: 'still here' });
    const mixed = await adapter.fetchInbound!(cfg(['/broken.xml', '/ok.xml']), {});
    expect(mixed.posts.map((p) => p.text)).toEqual(['still here']);
    expect(mixed.cursor.lastError).toContain('/broken.xml');
  });

  it('is listening only: send asks for a reply on the site', async () => {
    expect(adapter.capabilities.replyOnSite).toBe(true);
    await expect(
      adapter.send(cfg([]), {
        idempotencyKey: 'k',
        text: 'hi',
        isPrivate: false,
        threadExternalId: 'https://forum.example/t/1',
      }),
    ).rejects.toMatchObject({ code: 'reply_on_site' });
  });
});
