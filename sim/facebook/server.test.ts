import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNode, readEnum, readNodeSpec } from './graph-spec.ts';
import { type FacebookSim, startFacebookSim } from './server.ts';
import { COMMENT_FIELDS, MESSAGING_TYPES, POST_FIELDS } from './store.ts';

let sim: FacebookSim;
const token = 'access_token=sim-page-token';
const get = async (path: string) => {
  const res = await fetch(`${sim.url}/v25.0${path}${path.includes('?') ? '&' : '?'}${token}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  sim = await startFacebookSim();
  const post = sim.injectPost({ message: 'New firmware is out!' });
  const c = sim.injectComment({
    parentId: post.id,
    from: { id: '2001', name: 'Dana Diaz' },
    message: 'My router bricked after the update',
  });
  sim.injectComment({ parentId: c.id, from: { id: '2002', name: 'Finn' }, message: 'same' });
});
afterAll(() => sim.close());

describe('facebook simulator nodes match graph-api-specs', () => {
  it('every field the simulator can serve is declared on the node with that name', () => {
    const commentFields = new Set(readNodeSpec('Comment').fields.map((f) => f.name));
    const postFields = new Set(readNodeSpec('PagePost').fields.map((f) => f.name));
    expect(COMMENT_FIELDS.filter((f) => !commentFields.has(f))).toEqual([]);
    expect(POST_FIELDS.filter((f) => !postFields.has(f))).toEqual([]);
    expect(MESSAGING_TYPES).toEqual(readEnum('pagemessages_messaging_type_enum_param'));
  });

  it('feed and comments (all fields, stream filter, replies) validate field types', async () => {
    const feed = await get(`/${sim.options.pageId}/feed?fields=${POST_FIELDS.join(',')}`);
    expect(feed.status).toBe(200);
    const posts = feed.body.data as Record<string, unknown>[];
    expect(posts).toHaveLength(1);
    for (const p of posts) expect(checkNode('PagePost', p)).toEqual([]);
    const comments = await get(
      `/${String(posts[0]!.id)}/comments?filter=stream&fields=${COMMENT_FIELDS.join(',')}`,
    );
    const list = comments.body.data as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    expect(list[1]!.parent).toBeDefined();
    for (const c of list) expect(checkNode('Comment', c)).toEqual([]);
    const defaults = await get(`/${String(posts[0]!.id)}/comments`);
    expect(Object.keys((defaults.body.data as object[])[0]!).sort()).toEqual([
      'created_time',
      'from',
      'id',
      'message',
    ]);
  });

  it('the checker notices wrong types and unknown fields', () => {
    expect(checkNode('Comment', { id: 1, created_time: '2024-01-01T00:00:00Z', nope: true })).toHaveLength(3);
  });

  it('unknown fields and bad tokens get Graph errors', async () => {
    const bad = await get(`/${sim.options.pageId}/feed?fields=id,colour`);
    expect(bad.body).toMatchObject({ error: { code: 100, type: 'OAuthException' } });
    const res = await fetch(`${sim.url}/v25.0/${sim.options.pageId}/feed?access_token=wrong`);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(190);
  });

  it('pages comments with cursors and a next URL', async () => {
    const post = sim.injectPost({ message: 'paging' });
    for (let i = 0; i < 30; i++)
      sim.injectComment({ parentId: post.id, from: { id: `3${i}`, name: `u${i}` }, message: `c${i}` });
    const first = await get(`/${post.id}/comments?limit=25`);
    const paging = first.body.paging as { cursors: { after: string }; next?: string };
    expect((first.body.data as unknown[]).length).toBe(25);
    expect(paging.next).toContain('after=');
    const second = await get(`/${post.id}/comments?limit=25&after=${paging.cursors.after}`);
    expect((second.body.data as unknown[]).length).toBe(5);
    expect((second.body.paging as { next?: string }).next).toBeUndefined();
  });

  it('Send API: in-window message works, outside the 24-hour window gets error 10 / 2018278', async () => {
    sim.injectMessage({ psid: '555', text: 'hi' });
    sim.injectMessage({ psid: '666', text: 'old', at: Date.now() - 25 * 3600 * 1000 });
    const send = (psid: string) =>
      fetch(`${sim.url}/v25.0/${sim.options.pageId}/messages?${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          recipient: { id: psid },
          messaging_type: 'RESPONSE',
          message: { text: 'hello' },
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const ok = await send('555');
    expect(ok.body).toMatchObject({ recipient_id: '555', message_id: expect.stringMatching(/^m_/) });
    const late = await send('666');
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject({ error: { code: 10, error_subcode: 2018278 } });
  });
});
