import { describe, expect, it } from 'vitest';
import { readCassette, structureDiff } from '../../../sim/reddit/cassettes.ts';
import { ChannelError } from '../types.ts';
import { parseRateLimit } from './http.ts';
import { parseJsonReply, parseListing, thingToPost } from './parse.ts';

describe('reddit adapter parses the real recorded payloads', () => {
  it('inbox mentions → public mention posts with fullname ids and thread = link', () => {
    const recorded = readCassette('TestInbox.test_mentions')[1]!;
    const listing = parseListing(recorded.body);
    expect(listing.things).toHaveLength(16);
    expect(listing.after).toBe('t1_ekfncs9');
    const posts = listing.things.map((t) => thingToPost(t, 'ch1', 'mention'));
    const first = posts[0]!;
    expect(first).toMatchObject({
      channelKind: 'reddit',
      channelId: 'ch1',
      externalId: 't1_ekftbox',
      threadExternalId: 't3_bb24k7',
      parentExternalId: 't3_bb24k7',
      author: { externalId: '2Botter2Loop', handle: '2Botter2Loop' },
      isPrivate: false,
      createdAt: '2019-04-09T01:45:08.000Z',
      matchedBy: 'mention',
    });
    expect(first.text).toContain('Your [submission](https://redd.it/bb1sep) was removed');
    expect(first.url).toBe(
      'https://www.reddit.com/r/RemovedByBotter/comments/bb24k7/just_a_normal_girl_going_for_her_10th_class_exam/ekftbox/',
    );
    expect(new Set(posts.map((p) => p?.externalId)).size).toBe(16);
  });

  it('subreddit search → submissions with title and selftext', () => {
    const listing = parseListing(readCassette('TestSubreddit.test_search')[1]!.body);
    expect(listing.things.length).toBeGreaterThan(0);
    const post = thingToPost(listing.things[0]!, 'ch1', 'search')!;
    expect(post.externalId).toBe('t3_3gpbiu');
    expect(post.threadExternalId).toBe('t3_3gpbiu');
    expect(post.text.startsWith('[PRAW][OAuth2Util] Problem using get_banned()')).toBe(true);
    expect(post.url).toBe(
      'https://www.reddit.com/r/redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/',
    );
  });

  it('subreddit comments stream → comments with parent and link', () => {
    const listing = parseListing(readCassette('TestSubredditStreams.test_comments__with_pause')[1]!.body);
    const post = thingToPost(listing.things[0]!, 'ch1', 'search')!;
    expect(post).toMatchObject({
      externalId: 't1_dgauydy',
      threadExternalId: 't3_654eqk',
      parentExternalId: 't1_dg7dqfd',
      text: 'i lick it',
    });
    expect(post.url).toBe(
      'https://www.reddit.com/r/kakapo/comments/654eqk/kakapo_calls_i_spent_100_days_last_year_making/dgauydy/',
    );
  });

  it('comment reply and compose answers', () => {
    const reply = parseJsonReply(readCassette('TestComment.test_reply')[1]!.body);
    expect(reply.errors).toEqual([]);
    expect(reply.things[0]?.data.name).toBe('t1_d1680wu');
    expect(parseJsonReply(readCassette('TestRedditor.test_message')[2]!.body)).toEqual({
      errors: [],
      things: [],
    });
  });

  it('empty listing and the recorded x-ratelimit-* float headers', () => {
    expect(parseListing(readCassette('TestListingGenerator.test_no_items')[1]!.body).things).toEqual([]);
    const headers = new Headers(readCassette('TestInbox.test_mentions')[1]!.headers);
    const now = Date.parse('2025-06-19T16:49:07Z');
    expect(parseRateLimit(headers, now)).toEqual({
      remaining: 9324,
      limit: 10_000,
      resetAt: '2025-06-19T16:50:00.000Z',
    });
    const spent = new Headers({
      'x-ratelimit-remaining': '0.0',
      'x-ratelimit-used': '600',
      'x-ratelimit-reset': '12.5',
    });
    expect(parseRateLimit(spent, now)?.blockedUntil).toBe('2025-06-19T16:49:19.500Z');
  });

  it('tolerates unknown fields and skips broken children; rejects non-listings clearly', () => {
    const body = readCassette('TestInbox.test_mentions')[1]!.body as { data: { children: unknown[] } };
    const mutated = structuredClone(body);
    (mutated.data.children[0] as { data: Record<string, unknown> }).data.brand_new_field = { nested: [1, 2] };
    mutated.data.children.push({ kind: 't1' }, 'garbage', null);
    const listing = parseListing(mutated);
    expect(listing.things).toHaveLength(16);
    expect(listing.skipped).toBe(3);
    expect(() => parseListing({ kind: 'Listing' })).toThrow(ChannelError);
    expect(() => parseListing('<html>')).toThrow(/not a Listing/);
    expect(() => parseJsonReply([])).toThrow(ChannelError);
  });

  it('structureDiff notices a missing field or a changed type', () => {
    expect(structureDiff({ a: 1, b: { c: 'x' } }, { a: 1, b: {} })).toEqual(['/b/c: missing']);
    expect(structureDiff({ a: [{ n: 1 }] }, { a: [{ n: 'one' }] })).toEqual([
      '/a/0/n: recorded number, got string',
    ]);
  });
});
