import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';
import { latestMailTo } from '../../lib/mailer.ts';
import { postResolutionNotice, postStaffReply } from '../../services/community.ts';

type Headers = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let mod: Headers;
let alice: Headers;
let bob: Headers;
let categoryId: number;

const json = (h: Headers) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });

async function post(url: string, h: Headers, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url, headers: json(h), payload });
}

/** A member's first post waits for approval: the moderator approves it. */
async function trusted(h: Headers) {
  const res = await post('/community/topics', h, {
    title: 'My very first question here',
    body: 'hello',
    categoryId,
  });
  const { postId, pending } = res.json();
  expect(pending).toBe(true);
  expect((await post(`/community/posts/${postId}/approve`, mod, {})).statusCode).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp();
  const cat = await communityRepository(t.ctx.database.db).createCategory({
    slug: 'printers',
    name: 'Printers',
    description: 'Printing help',
  });
  categoryId = cat.id;
  mod = await t.signIn('moderator');
  alice = await t.signIn('member');
  bob = await t.signIn('member');
  await trusted(alice);
  await trusted(bob);
});
afterAll(() => t.close());

describe('community forum', () => {
  let topicId: number;
  let slug: string;
  let replyId: number;

  it('lets a member ask and others reply; anonymous visitors read it', async () => {
    const res = await post('/community/topics', alice, {
      title: 'Printer stops after firmware update',
      body: 'My printer stops. Any idea @nobody?',
      categoryId,
      tags: 'printer, firmware',
    });
    expect(res.statusCode).toBe(200);
    ({ topicId } = res.json());
    const r2 = await post(`/community/t/${topicId}/replies`, bob, { body: 'Try a **reset**.' });
    expect(r2.json().pending).toBe(false);
    replyId = r2.json().postId;
    const topic = await communityRepository(t.ctx.database.db).topicById(topicId);
    slug = topic!.slug;
    const page = await t.app.inject({ url: `/community/t/${slug}/${topicId}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>reset</strong>');
    expect(page.body).toContain(
      `<link rel="canonical" href="${t.ctx.config.baseUrl}/community/t/${slug}/${topicId}"/>`,
    );
    expect(page.body).toContain('property="og:title"');
    const home = await t.app.inject({ url: '/community' });
    expect(home.body).toContain('Printer stops after firmware update');
    for (const url of [
      '/community/latest',
      '/community/unanswered',
      '/community/top',
      '/community/solved',
      '/community/c/printers',
      '/community/tags/printer',
      '/community/tags',
    ]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    }
    // wrong slug → canonical redirect
    const wrong = await t.app.inject({ url: `/community/t/whatever/${topicId}` });
    expect(wrong.statusCode).toBe(301);
  });

  it('accepts an answer, gives reputation and a helpful badge; official answer by staff', async () => {
    expect((await post(`/community/posts/${replyId}/accept`, bob, {})).statusCode).toBe(403);
    expect((await post(`/community/posts/${replyId}/accept`, alice, {})).statusCode).toBe(200);
    expect((await post(`/community/posts/${replyId}/official`, alice, {})).statusCode).toBe(403);
    expect((await post(`/community/posts/${replyId}/official`, mod, {})).statusCode).toBe(200);
    expect((await post(`/community/posts/${replyId}/vote`, alice, { value: 1 })).json().score).toBe(1);
    expect((await post(`/community/posts/${replyId}/vote`, bob, { value: 1 })).statusCode).toBe(403);
    const page = await t.app.inject({ url: `/community/t/${slug}/${topicId}` });
    expect(page.body).toContain('Official answer');
    const solved = await t.app.inject({ url: '/community/solved' });
    expect(solved.body).toContain('Printer stops after firmware update');
    const profile = await communityRepository(t.ctx.database.db).profileByUserId(bob.userId);
    const prof = await t.app.inject({ url: `/community/u/${profile!.username}` });
    expect(prof.body).toContain('Helpful answer');
    expect(profile!.reputation).toBeGreaterThanOrEqual(17);
  });

  it('notifies followers and mentioned members', async () => {
    const bobName = (await communityRepository(t.ctx.database.db).profileByUserId(bob.userId))!.username;
    await post(`/community/t/${topicId}/replies`, alice, { body: `Thanks @${bobName}!` });
    const page = await t.app.inject({ url: '/community/notifications', headers: { cookie: bob.cookie } });
    expect(page.body).toContain('You were mentioned in');
    expect(page.body).toContain('Your answer was accepted in');
    const a = await t.app.inject({ url: '/community/notifications', headers: { cookie: alice.cookie } });
    expect(a.body).toContain('New reply in');
  });

  it('keeps an edit history; moderators must give a reason', async () => {
    expect(
      (await post(`/community/posts/${replyId}/edit`, bob, { body: 'Try a **hard reset**.' })).statusCode,
    ).toBe(200);
    expect((await post(`/community/posts/${replyId}/edit`, mod, { body: 'edited' })).statusCode).toBe(400);
    expect(
      (
        await post(`/community/posts/${replyId}/edit`, mod, {
          body: 'Try a hard reset (hold 10 s).',
          reason: 'clarity',
        })
      ).statusCode,
    ).toBe(200);
    const hist = await t.app.inject({ url: `/community/posts/${replyId}/revisions` });
    expect(hist.body).toContain('Revision 3');
    expect(hist.body).toContain('Reason: clarity');
  });

  it('hands every new post to triage as a forum inbound post', async () => {
    const rows = await t.ctx.database.pool.query(`select inbound from community_triage_outbox order by id`);
    const posts = rows.rows.map((r) => r.inbound);
    const first = posts.find((p) => p.externalId.startsWith('post:') && p.text.startsWith('Printer stops'));
    expect(first).toMatchObject({
      channelKind: 'forum',
      isPrivate: false,
      threadExternalId: `topic:${topicId}`,
    });
    expect(posts.some((p) => p.parentExternalId)).toBe(true);
  });

  it('shows staff replies from the inbox and marks resolution notices', async () => {
    await postStaffReply(t.ctx.database.db, { topicId, userId: mod.userId, markdown: 'We are on it.' });
    await postResolutionNotice(t.ctx.database.db, {
      topicId,
      userId: mod.userId,
      markdown: 'Fixed in firmware 2.1.',
    });
    const page = await t.app.inject({ url: `/community/t/${slug}/${topicId}` });
    expect(page.body).toContain('We are on it.');
    expect(page.body).toContain('Resolution notice');
    expect(page.body).toContain('class="flair"');
  });

  it('serves valid RSS and Atom feeds and a sitemap', async () => {
    const parser = new Parser();
    for (const url of [
      `/community/t/${topicId}/feed.rss`,
      `/community/t/${topicId}/feed.atom`,
      '/community/c/printers/feed.rss',
      '/community/c/printers/feed.atom',
      '/community/feed.rss',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const feed = await parser.parseString(res.body);
      expect(feed.items.length, url).toBeGreaterThan(0);
      expect(feed.items[0]!.link).toContain('/community/t/');
    }
    const sitemap = await t.app.inject({ url: '/sitemap.xml' });
    expect(sitemap.body).toContain(`/community/t/${slug}/${topicId}</loc>`);
  });

  it('searches with highlights and filters, and suggests similar topics', async () => {
    await t.ctx.database.pool.query('analyze community_posts');
    const res = await t.app.inject({ url: '/community/search?q=firmware' });
    expect(res.body).toContain('<mark>firmware</mark>');
    const none = await t.app.inject({ url: '/community/search?q=firmware&solved=no' });
    expect(none.body).toContain('No results');
    const newest = await t.app.inject({
      url: `/community/search?q=printer&sort=newest&category=${categoryId}`,
    });
    expect(newest.body).toContain('Printer stops');
    const similar = await t.app.inject({ url: '/community/similar?title=firmware%20problem' });
    expect(similar.json().topics[0].title).toBe('Printer stops after firmware update');
    const nojs = await t.app.inject({
      url: '/community/new?title=firmware%20problem',
      headers: { cookie: alice.cookie },
    });
    expect(nojs.body).toContain('Printer stops after firmware update');
  });
});

describe('sign-up and email confirmation', () => {
  it('sends a confirmation mail through the outbox and blocks posting until confirmed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/community/signup',
      headers: { 'content-type': 'application/json', cookie: 'es_csrf=abcdefghijklmnopqrstuvwx' },
      payload: {
        email: 'new@example.test',
        password: 'a-long-password',
        username: 'newbie',
        displayName: 'New Bie',
      },
    });
    // anonymous POST needs the token bound to the es_csrf cookie
    expect(res.statusCode).toBe(403);
    const form = await t.app.inject({ url: '/community/signup' });
    const cookie = String(form.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/community/signup',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        email: 'new@example.test',
        password: 'a-long-password',
        username: 'newbie',
        displayName: 'New Bie',
      }).toString(),
    });
    expect(ok.statusCode).toBe(201);
    const mail = await latestMailTo(t.ctx.database.db, 'new@example.test');
    expect(mail?.status).toBe('kept');
    const session = await t.ctx.accounts.login('new@example.test', 'a-long-password', '127.0.0.1');
    const h = {
      cookie: `es_session=${session.token}`,
      'x-csrf-token': session.csrfToken,
      userId: session.user.id,
    };
    const blocked = await post('/community/topics', h, {
      title: 'Can I post before confirming?',
      body: 'x',
      categoryId,
    });
    expect(blocked.json().error.code).toBe('email_not_verified');
    const token = /token=([\w-]+)/.exec(mail!.textBody)![1];
    const verify = await t.app.inject({ url: `/community/verify?token=${token}` });
    expect(verify.statusCode).toBe(303);
    const allowed = await post('/community/topics', h, {
      title: 'Can I post after confirming?',
      body: 'x',
      categoryId,
    });
    expect(allowed.json().pending).toBe(true);
  });
});
