/** Hostile input: XSS, oversized posts, unicode tricks, CSRF, enumeration of private topics by id. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';

type Headers = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let mod: Headers;
let alice: Headers;
let bob: Headers;
let eve: Headers;
let categoryId: number;

const post = (url: string, h: Headers, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] },
    payload,
  });

async function trusted(h: Headers) {
  const res = await post('/community/topics', h, {
    title: 'A first question to be approved',
    body: 'hi',
    categoryId,
  });
  await post(`/community/posts/${res.json().postId}/approve`, mod, {});
}

beforeAll(async () => {
  t = await createTestApp();
  categoryId = (
    await communityRepository(t.ctx.database.db).createCategory({ slug: 'general', name: 'General' })
  ).id;
  mod = await t.signIn('moderator');
  alice = await t.signIn('member');
  bob = await t.signIn('member');
  eve = await t.signIn('member');
  for (const h of [alice, bob, eve]) await trusted(h);
});
afterAll(() => t.close());

describe('hostile input', () => {
  it('renders XSS payloads inert on the topic page, in feeds and in search', async () => {
    const payload =
      '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> **xsspayload**';
    const res = await post('/community/topics', alice, {
      title: 'Title <script>alert(2)</script> here',
      body: payload,
      categoryId,
    });
    const { topicId } = res.json();
    const topic = (await communityRepository(t.ctx.database.db).topicById(topicId))!;
    const page = await t.app.inject({ url: `/community/t/${topic.slug}/${topicId}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toMatch(/<img[^>]*onerror/i);
    expect(page.body).not.toContain('href="javascript:');
    expect(page.body).toContain('&lt;script&gt;');
    const feed = await t.app.inject({ url: `/community/t/${topicId}/feed.rss` });
    expect(feed.body).not.toContain('<script>');
    await t.ctx.database.pool.query('analyze community_posts');
    const search = await t.app.inject({ url: '/community/search?q=xsspayload' });
    expect(search.body).toContain('<mark>xsspayload</mark>');
    expect(search.body).not.toContain('<script>alert');
  });

  it('rejects oversized posts and titles', async () => {
    const big = await post('/community/topics', alice, {
      title: 'An oversized post right here',
      body: 'a'.repeat(20_001),
      categoryId,
    });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.code).toBe('post_too_long');
    const huge = await post('/community/topics', alice, {
      title: 'An oversized post right here',
      body: 'a'.repeat(200_000),
      categoryId,
    });
    expect(huge.statusCode).toBe(400);
    const title = await post('/community/topics', alice, { title: 'x'.repeat(151), body: 'ok', categoryId });
    expect(title.json().error.code).toBe('invalid_title');
  });

  it('refuses invisible and look-alike characters in usernames and strips bidi overrides from posts', async () => {
    for (const username of ['ad\u200bmin', 'bob\u202e', 'аdmin', 'admin', 'a b']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/community/signup',
        headers: { cookie: alice.cookie, 'x-csrf-token': alice['x-csrf-token'] },
        payload: {
          email: `u${Math.random()}@example.test`,
          password: 'a-long-password',
          username,
          displayName: 'X',
        },
      });
      expect(res.statusCode, JSON.stringify(username)).toBe(400);
    }
    const res = await post('/community/topics', bob, {
      title: 'Bidi \u202etrick\u202c in title',
      body: 'price \u202e01$\u202c',
      categoryId,
    });
    const p = await communityRepository(t.ctx.database.db).postById(res.json().postId);
    expect(p!.body).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('requires the CSRF token for every state change', async () => {
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/community/topics',
      headers: { cookie: alice.cookie },
      payload: { title: 'Forged request here', body: 'x' },
    });
    expect(noToken.statusCode).toBe(403);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/community/topics',
      headers: { cookie: alice.cookie, 'x-csrf-token': bob['x-csrf-token'] },
      payload: { title: 'Forged request here', body: 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const form = await t.app.inject({
      method: 'POST',
      url: '/community/posts/1/vote',
      headers: { cookie: alice.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'value=1',
    });
    expect(form.statusCode).toBe(403);
  });

  it('answers 404 for private messages of others, whatever the id', async () => {
    const bobName = (await communityRepository(t.ctx.database.db).profileByUserId(bob.userId))!.username;
    const res = await post('/community/messages', alice, {
      to: bobName,
      title: 'Private: my order number',
      body: 'Order 12345',
    });
    const { topicId } = res.json();
    expect(
      (await t.app.inject({ url: `/community/t/message/${topicId}`, headers: { cookie: bob.cookie } }))
        .statusCode,
    ).toBe(200);
    const asEve = await t.app.inject({
      url: `/community/t/message/${topicId}`,
      headers: { cookie: eve.cookie },
    });
    const anon = await t.app.inject({ url: `/community/t/message/${topicId}` });
    const missing = await t.app.inject({ url: '/community/t/message/999999' });
    expect([asEve.statusCode, anon.statusCode, missing.statusCode]).toEqual([404, 404, 404]);
    expect(asEve.body).not.toContain('order number');
    expect(asEve.body.replace(/\d+/g, '')).toBe(missing.body.replace(/\d+/g, ''));
    for (const url of [`/community/t/${topicId}/feed.rss`, `/community/t/${topicId}/feed.atom`]) {
      expect((await t.app.inject({ url })).statusCode).toBe(404);
    }
    expect((await post(`/community/t/${topicId}/replies`, eve, { body: 'let me in' })).statusCode).toBe(404);
    expect((await post(`/community/t/${topicId}/follow`, eve, { follow: 'true' })).statusCode).toBe(404);
    const firstPost = (
      await t.ctx.database.pool.query('select id from community_posts where topic_id = $1', [topicId])
    ).rows[0].id;
    expect((await post(`/community/posts/${firstPost}/flag`, eve, { reason: 'spam' })).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          url: `/community/posts/${firstPost}/revisions`,
          headers: { cookie: eve.cookie },
        })
      ).statusCode,
    ).toBe(404);
    const search = await t.app.inject({ url: '/community/search?q=order', headers: { cookie: eve.cookie } });
    expect(search.body).not.toContain('12345');
  });

  it('holds new members and spam for approval, hides flagged posts behind a neutral notice', async () => {
    const newbie = await t.signIn('member');
    const first = await post('/community/topics', newbie, {
      title: 'Cheap casino free money here',
      body: 'visit https://a.example https://b.example',
      categoryId,
    });
    expect(first.json().pending).toBe(true);
    const queue = await t.app.inject({ url: '/community/review', headers: { cookie: mod.cookie } });
    expect(queue.body).toContain('Cheap casino free money here');
    expect(
      (await t.app.inject({ url: '/community/review', headers: { cookie: alice.cookie } })).statusCode,
    ).toBe(403);
    const r = await post('/community/topics', alice, {
      title: 'A topic that will be flagged',
      body: 'rude words',
      categoryId,
    });
    const { topicId, postId } = r.json();
    const reply = await post(`/community/t/${topicId}/replies`, bob, { body: 'offensive reply' });
    const rid = reply.json().postId;
    for (const h of [alice, eve, mod])
      expect((await post(`/community/posts/${rid}/flag`, h, { reason: 'offensive' })).statusCode).toBe(200);
    const topic = (await communityRepository(t.ctx.database.db).topicById(topicId))!;
    const page = await t.app.inject({ url: `/community/t/${topic.slug}/${topicId}` });
    expect(page.body).toContain('was hidden by a moderator');
    expect(page.body).not.toContain('offensive reply');
    // slow mode and lock
    await post(`/community/t/${topicId}/moderate`, mod, { slowModeSeconds: 3600 });
    expect((await post(`/community/t/${topicId}/replies`, eve, { body: 'one' })).statusCode).toBe(200);
    expect((await post(`/community/t/${topicId}/replies`, eve, { body: 'two' })).json().error.code).toBe(
      'slow_mode',
    );
    await post(`/community/t/${topicId}/moderate`, mod, { locked: 'true' });
    expect((await post(`/community/t/${topicId}/replies`, bob, { body: 'three' })).json().error.code).toBe(
      'topic_locked',
    );
    expect(postId).toBeGreaterThan(0);
  });

  it('delivers warnings privately and logs them', async () => {
    const eveName = (await communityRepository(t.ctx.database.db).profileByUserId(eve.userId))!.username;
    const res = await post(`/community/u/${eveName}/sanction`, mod, {
      kind: 'suspension',
      reason: 'Repeated insults',
      days: 3,
    });
    expect(res.statusCode).toBe(200);
    const { messageTopicId } = res.json();
    expect((await t.app.inject({ url: `/community/t/message/${messageTopicId}` })).statusCode).toBe(404);
    const asEve = await t.app.inject({
      url: `/community/t/message/${messageTopicId}`,
      headers: { cookie: eve.cookie },
    });
    expect(asEve.body).toContain('Repeated insults');
    const log = await t.ctx.database.pool.query(
      `select action from audit_log where action = 'community.member.suspension'`,
    );
    expect(log.rowCount).toBe(1);
    const blocked = await post('/community/topics', eve, {
      title: 'Posting while suspended',
      body: 'x',
      categoryId,
    });
    expect(blocked.json().error.code).toBe('suspended');
  });
});
