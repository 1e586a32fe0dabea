/**
 * Topic moderation over HTTP: move, merge, split, pin/unpin and lock — moderators only — and the
 * public pages afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';

type Headers = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let mod: Headers;
let alice: Headers;
let bob: Headers;
/** Members post at most 6 times a minute: the posts are spread over three members. */
let carol: Headers;
let printers: number;
let scanners: number;
/** Anonymous pages are cached briefly: each anonymous check uses its own URL (a fresh render). */
let fresh = 0;

const hdr = (h: Headers) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });
const post = (url: string, h: Headers, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: hdr(h), payload });
const anon = (url: string) =>
  t.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}page=1&v=${++fresh}` });
const repo = () => communityRepository(t.ctx.database.db);

async function topic(h: Headers, title: string, body = `${title}: details.`, categoryId = printers) {
  const res = await post('/community/topics', h, { title, body, categoryId });
  expect(res.statusCode).toBe(200);
  const found = await repo().topicById(res.json().topicId);
  return { id: found!.id, path: `/community/t/${found!.slug}/${found!.id}`, postId: res.json().postId };
}

async function reply(h: Headers, topicId: number, body: string): Promise<number> {
  const res = await post(`/community/t/${topicId}/replies`, h, { body });
  expect(res.statusCode).toBe(200);
  return res.json().postId;
}

beforeAll(async () => {
  t = await createTestApp();
  printers = (await repo().createCategory({ slug: 'printers', name: 'Printers' })).id;
  scanners = (await repo().createCategory({ slug: 'scanners', name: 'Scanners' })).id;
  mod = await t.signIn('moderator');
  alice = await t.signIn('member');
  bob = await t.signIn('member');
  carol = await t.signIn('member');
  for (const h of [alice, bob, carol]) {
    const first = await topic(h, `First question from a member ${h.userId.slice(0, 6)}`);
    expect((await post(`/community/posts/${first.postId}/approve`, mod, {})).statusCode).toBe(200);
  }
});
afterAll(() => t.close());

describe('topic moderation', () => {
  it('refuses every topic tool to a regular member, even the topic’s author', async () => {
    const mine = await topic(alice, 'Alice asks about paper jams');
    const other = await topic(mod, 'Paper jam guide by the staff');
    const r = await reply(bob, mine.id, 'Open the back cover.');
    for (const [url, payload] of [
      [`/community/t/${mine.id}/moderate`, { locked: 'true' }],
      [`/community/t/${mine.id}/moderate`, { pinned: 'true' }],
      [`/community/t/${mine.id}/moderate`, { categoryId: scanners }],
      [`/community/t/${mine.id}/merge`, { targetId: other.id }],
      [`/community/t/${mine.id}/split`, { postIds: String(r), title: 'Split by a member, wrongly' }],
    ] as const) {
      const res = await post(url, alice, payload);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('moderators_only');
    }
    const after = await repo().topicById(mine.id);
    expect(after).toMatchObject({ locked: false, pinned: false, categoryId: printers, mergedIntoId: null });
    expect((await repo().postById(r))!.topicId).toBe(mine.id);
    // Signed out: sign in first.
    const res = await t.app.inject({
      method: 'POST',
      url: `/community/t/${mine.id}/moderate`,
      payload: { locked: 'true' },
    });
    expect([401, 403]).toContain(res.statusCode);
  });

  it('moves a topic to another category', async () => {
    const moved = await topic(bob, 'Scanner shows up as a printer');
    const res = await post(`/community/t/${moved.id}/moderate`, mod, { categoryId: scanners });
    expect(res.statusCode).toBe(200);
    expect((await anon('/community/c/scanners')).body).toContain('Scanner shows up as a printer');
    expect((await anon('/community/c/printers')).body).not.toContain('Scanner shows up as a printer');
    const page = await anon(moved.path);
    expect(page.body).toContain('<a href="/community/c/scanners">Scanners</a>');
    const [p] = await t.ctx.database.pool
      .query('select category_id from community_posts where topic_id = $1', [moved.id])
      .then((r) => r.rows);
    expect(p.category_id).toBe(scanners);
  });

  it('pins and unpins a topic: pinned topics come first in the lists', async () => {
    const older = await topic(mod, 'Read this before asking about printers');
    await topic(mod, 'A newer question about toner');
    const pin = await post(`/community/t/${older.id}/moderate`, mod, { pinned: 'true' });
    expect(pin.statusCode).toBe(200);
    const list = (await anon('/community/c/printers')).body;
    expect(list).toMatch(/<span class="badge">Pinned<\/span> .*Read this before asking/);
    expect(list.indexOf('Read this before asking')).toBeLessThan(
      list.indexOf('A newer question about toner'),
    );
    expect((await post(`/community/t/${older.id}/moderate`, mod, { pinned: 'false' })).statusCode).toBe(200);
    const after = (await anon('/community/c/printers')).body;
    expect(after).not.toContain('Pinned');
    expect(after.indexOf('A newer question about toner')).toBeLessThan(
      after.indexOf('Read this before asking'),
    );
  });

  it('locks a topic: members cannot reply, the page says so; unlocking reopens it', async () => {
    const locked = await topic(alice, 'Printer makes a grinding noise');
    // A form post without JavaScript: redirected back to the topic.
    const form = await t.app.inject({
      method: 'POST',
      url: `/community/t/${locked.id}/moderate`,
      headers: { ...hdr(mod), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'locked=true',
    });
    expect(form.statusCode).toBe(303);
    const refused = await post(`/community/t/${locked.id}/replies`, bob, { body: 'Me too!' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('topic_locked');
    const page = await t.app.inject({ url: locked.path, headers: { cookie: bob.cookie } });
    expect(page.body).toContain('<span class="badge">Locked</span>');
    expect(page.body).toContain('This topic is locked: no new replies.');
    expect(page.body).not.toContain(`action="/community/t/${locked.id}/replies"`);
    expect((await anon('/community/c/printers')).body).toMatch(
      /<span class="badge">Locked<\/span> .*Printer makes a grinding noise/,
    );
    // Moderators still can post in a locked topic.
    await reply(mod, locked.id, 'Locked while we investigate.');
    expect((await post(`/community/t/${locked.id}/moderate`, mod, { locked: 'false' })).statusCode).toBe(200);
    await reply(bob, locked.id, 'Me too, after the update.');
    expect((await anon(locked.path)).body).toContain('Me too, after the update.');
  });

  it('merges a topic into another: posts appended, the old URL redirects', async () => {
    const target = await topic(mod, 'Wi-Fi setup for the P200 printer');
    const source = await topic(carol, 'P200 will not join my wireless network');
    await reply(alice, source.id, 'Hold the Wi-Fi button for five seconds.');
    const res = await post(`/community/t/${source.id}/merge`, mod, { targetId: target.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().location).toBe(`/community/t/topic/${target.id}`);
    const old = await anon(source.path);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(target.path);
    const merged = await anon(target.path);
    expect(merged.body).toContain('P200 will not join my wireless network: details.');
    expect(merged.body).toContain('Hold the Wi-Fi button for five seconds.');
    expect(merged.body).toContain('id="p3"');
    expect((await repo().topicById(target.id))!.replyCount).toBe(2);
    expect((await anon('/community/c/printers')).body).not.toContain(
      'P200 will not join my wireless network',
    );
    expect((await post(`/community/t/${target.id}/merge`, mod, { targetId: target.id })).statusCode).toBe(
      400,
    );
  });

  it('splits chosen replies into a new topic', async () => {
    const original = await topic(alice, 'Colour prints look washed out');
    const keep = await reply(bob, original.id, 'Run the colour calibration.');
    const off1 = await reply(carol, original.id, 'Unrelated: how do I scan to email?');
    const off2 = await reply(mod, original.id, 'Scan to email is under Settings › Scan.');
    const res = await post(`/community/t/${original.id}/split`, mod, {
      postIds: `${off1}, ${off2}`,
      title: 'How do I scan to email?',
    });
    expect(res.statusCode).toBe(200);
    const newId: number = res.json().topicId;
    const created = await repo().topicById(newId);
    expect(created).toMatchObject({
      title: 'How do I scan to email?',
      categoryId: printers,
      authorId: carol.userId,
    });
    expect(res.json().location).toBe(`/community/t/${created!.slug}/${newId}`);
    const split = await anon(`/community/t/${created!.slug}/${newId}`);
    expect(split.body).toContain('Unrelated: how do I scan to email?');
    expect(split.body).toContain('Scan to email is under Settings');
    const left = await anon(original.path);
    expect(left.body).toContain('Run the colour calibration.');
    expect(left.body).not.toContain('how do I scan to email');
    expect((await repo().topicById(original.id))!.replyCount).toBe(1);
    expect((await repo().postById(keep))!.postNumber).toBe(2);
    expect((await anon('/community/c/printers')).body).toContain('How do I scan to email?');
    // The question itself cannot be split off.
    const bad = await post(`/community/t/${original.id}/split`, mod, {
      postIds: String(original.postId),
      title: 'Splitting the question itself',
    });
    expect(bad.statusCode).toBe(400);
  });
});
