import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specFile } from '../../../sim/shared/spec-validator.ts';
import type { ChannelConfig } from '../types.ts';
import {
  buildSearchQuery,
  dmToPost,
  snowflakeTime,
  tweetToPost,
  type XDmPayload,
  type XIncludes,
  type XTweetPayload,
} from './map.ts';

const config = {
  id: 'c',
  kind: 'x',
  baseUrl: 'https://api.x.com',
  credentials: {},
  rules: { keywords: [], handles: [], sources: [] },
} as ChannelConfig;

/** The JSON examples in X's own docs (real payload shapes, with fields we never asked for). */
function docExamples(file: string): unknown[] {
  const text = readFileSync(specFile(`x/docs/${file}`), 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) => {
    try {
      return [JSON.parse(m[1]!)];
    } catch {
      return [];
    }
  });
}

describe('X payload mapping', () => {
  it('parses the data-dictionary example post with its expansions', () => {
    const ex = docExamples('fundamentals__data-dictionary__reference.mdx').find(
      (e) => Array.isArray((e as { data?: unknown }).data) && (e as { includes?: unknown }).includes,
    ) as { data: XTweetPayload[]; includes: XIncludes };
    const post = tweetToPost(config, ex.data[0]!, ex.includes, 'search');
    expect(post).toMatchObject({
      externalId: '1307025659294674945',
      threadExternalId: '1304102743196356610',
      createdAt: '2020-09-18T18:36:15.000Z',
      author: { externalId: '2244994945', handle: 'TwitterDev' },
    });
    expect(post.text).toContain('new Tweet payload v2');
    expect(post.parentExternalId).toBeDefined();
  });

  it('parses the documented DM event examples', () => {
    const events = docExamples('direct-messages__lookup__integrate.mdx').filter(
      (e) => (e as XDmPayload).event_type === 'MessageCreate',
    ) as XDmPayload[];
    expect(events.length).toBeGreaterThan(0);
    const post = dmToPost(config, events[0]!, undefined);
    expect(post).toMatchObject({ externalId: '1582838499983564806', isPrivate: true, text: 'Hi everyone.' });
    expect(post.threadExternalId).toBe('1578398451921985538');
  });

  it('tolerates unknown fields and the newer referenced_posts naming; ids are stable', () => {
    const t = {
      id: '1460323737035677698',
      text: 'hi',
      surprise: { deep: [1] },
      referenced_posts: [{ type: 'replied_to', id: '9' }],
    };
    const a = tweetToPost(config, t, { users: [] }, 'mention');
    const b = tweetToPost(config, structuredClone(t), undefined, 'mention');
    expect(a.externalId).toBe(b.externalId);
    expect(a.parentExternalId).toBe('9');
    expect(a.createdAt).toBe(snowflakeTime(t.id));
    expect(a.createdAt).toBe('2021-11-15T19:08:05.069Z');
  });

  it('builds a search query from listening rules', () => {
    const q = buildSearchQuery(
      { keywords: ['refund', 'still broken', 'OR'], handles: ['@acme'], sources: [] },
      'help',
    );
    expect(q).toBe('(refund OR "still broken" OR "OR" OR @acme) -is:retweet -from:help');
    expect(buildSearchQuery({ keywords: [], handles: [], sources: [] })).toBeUndefined();
    expect(() =>
      buildSearchQuery({ keywords: Array(100).fill('keyword'), handles: [], sources: [] }),
    ).toThrow(/limit/);
  });
});
