/** Knowledge base and blog over HTTP: roles, drafts for guests, feeds, images, helpful votes. */
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createTopic } from '../../services/community.ts';

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['signIn']>>;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function create(body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/articles', headers: editor, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().article as { id: string; slug: string; status: string; url: string };
}

/** A guest's anonymous CSRF cookie and token, read from a public page. */
async function guest(path: string) {
  const page = await t.app.inject({ method: 'GET', url: path });
  const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { cookie, token };
}

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.signIn('agent');
});
afterAll(async () => {
  await t?.close();
});

describe('writing and roles', () => {
  it('lets admin, supervisor and agent write; others cannot', async () => {
    const payload = { kind: 'kb', title: 'Nope', body: 'x' };
    expect((await t.app.inject({ method: 'POST', url: '/api/articles', payload })).statusCode).toBe(403);
    const member = await t.signIn('member');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/articles', headers: member, payload })).statusCode,
    ).toBe(403);
    const supervisor = await t.signIn('supervisor');
    const ok = await t.app.inject({ method: 'POST', url: '/api/articles', headers: supervisor, payload });
    expect(ok.statusCode).toBe(201);
  });

  it('creates categories and lists articles by category', async () => {
    const admin = await t.signIn('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/articles/categories',
      headers: admin,
      payload: { kind: 'kb', name: 'Getting started' },
    });
    expect(res.statusCode).toBe(201);
    const { id, slug } = res.json().category;
    await create({ kind: 'kb', title: 'First steps', body: 'Hello', categoryId: id, status: 'published' });
    const page = await t.app.inject({ method: 'GET', url: `/kb/category/${slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('First steps');
    expect((await t.app.inject({ method: 'GET', url: '/kb' })).body).toContain('Getting started');
  });
});

describe('publishing rules', () => {
  it('drafts are 404 for guests and members, visible to editors', async () => {
    const a = await create({ kind: 'kb', title: 'Secret draft', body: 'Not yet' });
    expect(a.status).toBe('draft');
    const guestRes = await t.app.inject({ method: 'GET', url: `/kb/${a.slug}` });
    expect(guestRes.statusCode).toBe(404);
    expect(guestRes.body).not.toContain('Secret draft');
    const member = await t.signIn('member');
    expect((await t.app.inject({ method: 'GET', url: `/kb/${a.slug}`, headers: member })).statusCode).toBe(
      404,
    );
    const mine = await t.app.inject({ method: 'GET', url: `/kb/${a.slug}`, headers: editor });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Not public');
    expect((await t.app.inject({ method: 'GET', url: '/kb' })).body).not.toContain('Secret draft');
    expect((await t.app.inject({ method: 'GET', url: '/search?q=secret' })).body).not.toContain(
      'Secret draft',
    );

    const pub = await t.app.inject({
      method: 'POST',
      url: `/api/articles/${a.id}/publish`,
      headers: editor,
      payload: {},
    });
    expect(pub.json().article.status).toBe('published');
    expect((await t.app.inject({ method: 'GET', url: `/kb/${a.slug}` })).statusCode).toBe(200);
  });

  it('a scheduled post appears on time without waiting for the job', async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    const a = await create({
      kind: 'blog',
      title: 'On the dot',
      body: 'Now live',
      status: 'scheduled',
      publishAt: at,
    });
    expect(a.status).toBe('scheduled');
    expect((await t.app.inject({ method: 'GET', url: `/blog/${a.slug}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/blog/feed.xml' })).body).not.toContain('On the dot');
    await new Promise((r) => setTimeout(r, 1600));
    expect((await t.app.inject({ method: 'GET', url: `/blog/${a.slug}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/blog' })).body).toContain('On the dot');
  });
});

describe('feeds', () => {
  it('serves valid RSS and Atom with the published posts, absolute links and escaped content', async () => {
    await create({
      kind: 'blog',
      title: 'Tips & tricks <for> "agents"',
      summary: 'Short & sweet',
      body: 'See [the guide](/kb/first-steps) & more.',
      tags: ['Guides'],
      status: 'published',
    });
    const parser = new Parser();
    const rss = await t.app.inject({ method: 'GET', url: '/blog/feed.xml' });
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    const feed = await parser.parseString(rss.body);
    const item = feed.items.find((i) => i.title === 'Tips & tricks <for> "agents"');
    expect(item?.link).toMatch(/^http.*\/blog\/tips-tricks-for-agents$/);
    expect(item?.content).toContain('href="http');
    expect(item?.categories).toEqual(['guides']);

    const atom = await t.app.inject({ method: 'GET', url: '/blog/atom.xml' });
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    const af = await parser.parseString(atom.body);
    expect(af.items.map((i) => i.title)).toContain('Tips & tricks <for> "agents"');
    expect(af.items.every((i) => i.link && i.id)).toBe(true);
  });
});

describe('images', () => {
  it('stores uploaded images and serves them with their content type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/articles/images',
      headers: { ...editor, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { url, markdown } = res.json();
    const img = await t.app.inject({ method: 'GET', url });
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.rawPayload.equals(PNG)).toBe(true);
    const a = await create({
      kind: 'kb',
      title: 'With picture',
      body: `Look: ${markdown}`,
      status: 'published',
    });
    expect((await t.app.inject({ method: 'GET', url: `/kb/${a.slug}` })).body).toContain(`<img src="${url}"`);
  });

  it('rejects non-images, disguised files, SVG and oversized uploads', async () => {
    const post = (type: string, payload: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/articles/images',
        headers: { ...editor, 'content-type': type },
        payload,
      });
    expect((await post('image/png', Buffer.from('<html><script>alert(1)</script>'))).statusCode).toBe(400);
    expect((await post('image/svg+xml', Buffer.from('<svg onload="alert(1)"/>'))).statusCode).toBe(400);
    expect((await post('image/jpeg', PNG)).statusCode).toBe(400);
    expect((await post('text/html', PNG)).statusCode).toBe(415);
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    expect((await post('image/png', big)).statusCode).toBe(413);
    const guestPost = await t.app.inject({
      method: 'POST',
      url: '/api/articles/images',
      headers: { 'content-type': 'image/png' },
      payload: PNG,
    });
    expect([401, 403]).toContain(guestPost.statusCode);
  });
});

describe('"Was this helpful?"', () => {
  it('takes a form vote from a guest without JavaScript, once per visitor', async () => {
    const a = await create({ kind: 'kb', title: 'Helpful one', body: 'Text', status: 'published' });
    const g = await guest(`/kb/${a.slug}`);
    const vote = (helpful: string, token = g.token) =>
      t.app.inject({
        method: 'POST',
        url: `/kb/${a.slug}/helpful`,
        headers: { cookie: g.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `helpful=${helpful}&_csrf=${encodeURIComponent(token)}`,
      });
    const res = await vote('yes');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/kb/${a.slug}?voted=yes#helpful`);
    await vote('yes');
    expect((await vote('yes', 'forged')).statusCode).toBe(403);
    const page = await t.app.inject({
      method: 'GET',
      url: `/kb/${a.slug}?voted=yes`,
      headers: { cookie: g.cookie },
    });
    expect(page.body).toContain('Thanks for your feedback');
    expect(page.body).toContain('1 of 1 readers found this helpful');
  });

  it('rate-limits votes per IP', async () => {
    const a = await create({ kind: 'kb', title: 'Vote flood', body: 'Text', status: 'published' });
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const g = await guest(`/kb/${a.slug}`);
      const res = await t.app.inject({
        method: 'POST',
        url: `/kb/${a.slug}/helpful`,
        headers: { cookie: g.cookie, 'x-csrf-token': g.token },
        payload: { helpful: 'yes' },
        remoteAddress: '203.0.113.9',
      });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });
});

describe('one search box', () => {
  it('merges help articles and community topics, with types', async () => {
    await create({
      kind: 'kb',
      title: 'Pair a headset',
      body: 'Bluetooth headset pairing.',
      status: 'published',
    });
    const agent = await t.ctx.accounts.createUser({
      email: 'forum-agent@example.test',
      displayName: 'Forum Agent',
      role: 'agent',
      password: 'a-long-test-password',
    });
    await createTopic(t.ctx.database.db, t.ctx.config.baseUrl, agent, {
      categoryId: null,
      title: 'My headset will not pair with my laptop',
      body: 'The headset blinks blue but never pairs.',
    });
    const all = await t.app.inject({ method: 'GET', url: '/search?q=headset' });
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Pair a headset');
    expect(all.body).toContain('My headset will not pair with my laptop');
    expect(all.body).toMatch(/<mark>headset<\/mark>/i);
    const kbOnly = await t.app.inject({ method: 'GET', url: '/search?q=headset&type=kb' });
    expect(kbOnly.body).toContain('Pair a headset');
    expect(kbOnly.body).not.toContain('My headset will not pair');
    const forumOnly = await t.app.inject({ method: 'GET', url: '/search?q=headset&type=forum' });
    expect(forumOnly.body).not.toContain('Pair a headset');
    expect(forumOnly.body).toContain('/community/t/');
  });

  it('suggests help articles publicly for a question before posting', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/kb/suggest?q=how%20do%20I%20pair%20my%20headset%3F',
    });
    expect(res.json().articles[0].title).toBe('Pair a headset');
  });
});
