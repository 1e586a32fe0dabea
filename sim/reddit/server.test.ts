import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette, structureDiff } from './cassettes.ts';
import { type RedditSim, startRedditSim } from './server.ts';

let sim: RedditSim;
let token: string;

async function call(method: string, path: string, form?: Record<string, string>) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${token}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

beforeAll(async () => {
  sim = await startRedditSim();
  const res = await fetch(`${sim.url}/api/v1/access_token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('sim-client:sim-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=password&username=earshot_support&password=sim-password',
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(structureDiff(readCassette('TestComment.test_reply')[0]!.body, body)).toEqual([]);
  token = String(body.access_token);
  const s = sim.injectSubmission({
    subreddit: 'kakapo',
    author: 'bird_fan',
    title: 'Acme router keeps dropping',
    selftext: 'help',
  });
  const c = sim.injectComment({ parent: `t3_${s.id}`, author: 'other', body: 'same here' });
  sim.injectComment({ parent: `t1_${c.id}`, author: 'third', body: 'hey u/earshot_support can you look?' });
  sim.injectMessage({ from: 'bird_fan', to: 'earshot_support', subject: 'order', body: 'my order 123' });
});
afterAll(() => sim.close());

describe('reddit simulator answers with the structure of the recorded cassettes', () => {
  it('mentions listing', async () => {
    const recorded = readCassette('TestInbox.test_mentions')[1]!;
    const res = await call('GET', '/message/mentions?limit=16&raw_json=1');
    expect(res.status).toBe(200);
    expect(structureDiff(recorded.body, res.body)).toEqual([]);
    for (const h of ['x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset']) {
      expect(recorded.headers[h]).toBeDefined();
      expect(res.headers.get(h)).toMatch(h === 'x-ratelimit-remaining' ? /^\d+\.\d$/ : /^\d+$/);
    }
  });

  it('subreddit search listing (restrict_sr, sort=new)', async () => {
    const recorded = readCassette('TestSubreddit.test_search')[1]!;
    const res = await call('GET', '/r/kakapo/search/?q=router+OR+modem&restrict_sr=on&sort=new&raw_json=1');
    expect(structureDiff(recorded.body, res.body)).toEqual([]);
    expect((res.body as { data: { children: unknown[] } }).data.children).toHaveLength(1);
  });

  it('subreddit comments listing', async () => {
    const recorded = readCassette('TestSubredditStreams.test_comments__with_pause')[1]!;
    const res = await call('GET', '/r/kakapo/comments/?limit=100&raw_json=1');
    expect(structureDiff(recorded.body, res.body)).toEqual([]);
  });

  it('empty listing', async () => {
    const recorded = readCassette('TestListingGenerator.test_no_items')[1]!;
    const res = await call('GET', '/r/nothing_here/new?limit=100&raw_json=1');
    expect(structureDiff(recorded.body, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ kind: 'Listing', data: { children: [], after: null } });
  });

  it('comment reply and compose', async () => {
    const recorded = readCassette('TestComment.test_reply')[1]!;
    const target = sim.state.comments[0]!;
    const res = await call('POST', '/api/comment/?raw_json=1', {
      api_type: 'json',
      thing_id: `t1_${target.id}`,
      text: 'Comment reply',
    });
    expect(structureDiff(recorded.body, res.body)).toEqual([]);
    const compose = readCassette('TestRedditor.test_message')[2]!;
    const sent = await call('POST', '/api/compose/?raw_json=1', {
      api_type: 'json',
      subject: 'PRAW test',
      text: 'hi',
      to: 'subreddit_stats',
    });
    expect(sent.body).toEqual(compose.body);
    expect(sim.state.posted.map((p) => p.kind)).toEqual(['comment', 'message']);
  });

  it('pages with after fullnames and answers 429 with reset headers when forced', async () => {
    for (let i = 0; i < 30; i++)
      sim.injectSubmission({ subreddit: 'paging', author: 'a', title: `post ${i}` });
    const first = (await call('GET', '/r/paging/new?limit=25')).body as {
      data: { after: string; children: unknown[] };
    };
    expect(first.data.children).toHaveLength(25);
    const second = (await call('GET', `/r/paging/new?limit=25&after=${first.data.after}`)).body as {
      data: { after: string | null; children: unknown[] };
    };
    expect(second.data.children).toHaveLength(5);
    expect(second.data.after).toBeNull();
    sim.force429(1, 42);
    const limited = await call('GET', '/r/paging/new');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-reset')).toBe('42');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0.0');
  });

  it('rejects a missing or unknown token like Reddit (401)', async () => {
    const res = await fetch(`${sim.url}/message/mentions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });
});
