import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RssSim, startRssSim } from './server.ts';

let sim: RssSim;
beforeAll(async () => {
  sim = await startRssSim();
});
afterAll(() => sim.close());

describe('feed simulator', () => {
  it('serves well-formed RSS 2.0 and Atom with conditional GET', async () => {
    for (const format of ['rss', 'atom'] as const) {
      const url = sim.addFeed(`/${format}.xml`, { format, title: 'Q&A <forum>' });
      sim.appendItem(`/${format}.xml`, { title: 'Fish & "chips"', content: '<p>hello</p>', author: 'jo' });
      const res = await fetch(url);
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(res.headers.get('content-type')).toContain(format === 'rss' ? 'rss+xml' : 'atom+xml');
      expect(xml).toContain(
        format === 'rss' ? '<rss version="2.0"' : '<feed xmlns="http://www.w3.org/2005/Atom">',
      );
      const etag = res.headers.get('etag')!;
      expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
      sim.appendItem(`/${format}.xml`, { title: 'second' });
      expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(200);
    }
    expect((await fetch(`${sim.url}/nope.xml`)).status).toBe(404);
  });

  it('appends items over the HTTP control API', async () => {
    await fetch(`${sim.url}/_sim/feeds`, {
      method: 'POST',
      body: JSON.stringify({ path: '/c.xml' }),
      headers: { 'content-type': 'application/json' },
    });
    await fetch(`${sim.url}/_sim/items`, {
      method: 'POST',
      body: JSON.stringify({ path: '/c.xml', title: 'via control' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(await (await fetch(`${sim.url}/c.xml`)).text()).toContain('<title>via control</title>');
  });
});
