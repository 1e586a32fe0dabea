/**
 * /app/ignored over real ignored posts (spam, an admin's keyword rule): the list with counts and
 * filters, hostile post text and handles escaped, restore as a plain form (303 and a notice linking the
 * conversation; a second time says so), CSRF and roles enforced, moderators offered moderation only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { ignoredPostsFixture, RAFFLE_RULE, SPAM } from './fixtures.test-helper.ts';

type H = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let fx: Awaited<ReturnType<typeof ignoredPostsFixture>>;
let admin: H;
let moderator: H;
let spam: { postId: string };
let hostile: { postId: string };

const PAGE = '/app/ignored';
const HOSTILE_TEXT = 'raffle </td><script>alert("owned")</script>"><img src=x onerror=alert(1)>';
const HOSTILE_HANDLE = '"><img src=x onerror=alert(2)>';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
  moderator = await t.signIn('moderator');
  fx = await ignoredPostsFixture(t, admin);
  spam = await fx.ingest('spammy', SPAM, { url: 'javascript:alert(3)' });
  hostile = await fx.ingest(HOSTILE_HANDLE, HOSTILE_TEXT, { url: 'https://x.example/status/1' });
});
afterAll(() => t.close());

const show = (who: H, url = PAGE) => t.app.inject({ url, headers: { cookie: who.cookie } });

it('lists the ignored posts with counts per reason, escaped; the nav links the page', async () => {
  const res = await show(admin);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain(`<a href="${PAGE}" aria-current="page">Ignored</a>`);
  expect(res.body).toContain('<h1>Ignored posts</h1>');
  expect(res.body).toMatch(
    /<th scope="row"><a href="\/app\/ignored\?reason=spam">spam<\/a><\/th><td>1<\/td>/,
  );
  expect(res.body).toContain(`by ${RAFFLE_RULE.name}`);
  expect(res.body).toContain('spam · by default policy');
  expect(res.body).not.toContain('<script>alert');
  expect(res.body).not.toContain('<img src=x');
  expect(res.body).toContain('&lt;script>alert(&quot;owned&quot;)&lt;/script>');
  expect(res.body).toContain('href="https://x.example/status/1"');
  expect(res.body).not.toContain('javascript:alert');
  expect(res.body).toContain(`<label for="queue-${spam.postId.slice(0, 8)}">Queue</label>`);
  expect(res.body).toContain(`<input type="hidden" name="postId" value="${spam.postId}"/>`);

  const filtered = await show(admin, `${PAGE}?reason=spam`);
  expect(filtered.body).toContain(spam.postId);
  expect(filtered.body).not.toContain(hostile.postId);
  expect((await show(admin, `${PAGE}?channel=reddit`)).body).toContain('No ignored posts.');

  const agent = await t.signIn('agent');
  expect((await show(agent)).statusCode).toBe(403);
  expect((await show(agent, '/app')).body).not.toContain(`href="${PAGE}"`);
});

it('moderators are offered moderation only, and a form restoring to support is refused', async () => {
  const res = await show(moderator);
  expect(res.body).toContain('<option value="moderation">moderation</option>');
  expect(res.body).not.toContain('<option value="support">support</option>');
  const refused = await t.postForm(moderator, `${PAGE}/restore`, { postId: spam.postId, queue: 'support' });
  expect(refused.statusCode).toBe(403);
  expect(refused.headers['content-type']).toContain('text/html');
});

it('restores with the form: 303 back with a notice linking the conversation; again: already restored', async () => {
  const refused = await t.postForm(admin, `${PAGE}/restore`, { postId: spam.postId }, { csrf: false });
  expect(refused.statusCode).toBe(403);

  const res = await t.postForm(admin, `${PAGE}/restore`, {
    postId: spam.postId,
    queue: 'support',
    intent: '',
    reason: 'spam',
  });
  expect(res.statusCode).toBe(303);
  const [{ conversation_id: id }] = await fx.f.q('select conversation_id from posts where id = $1', [
    spam.postId,
  ]);
  expect(res.headers.location).toBe(`${PAGE}?reason=spam&done=restored&conversation=${id}&queue=support`);
  const page = await show(admin, res.headers.location as string);
  expect(page.body).toContain(
    `Restored: conversation ${id.slice(0, 8)} opened in support — <a href="/app/conversations/${id}">open it</a>`,
  );
  expect(page.body).toContain('No ignored posts.');
  const [c] = await fx.f.q('select queue, intent from conversations where id = $1', [id]);
  expect(c).toEqual({ queue: 'support', intent: 'complaint' });
  const [audit] = await fx.f.q(`select detail from audit_log where action = 'ignored_post.restore'`);
  expect(audit!.detail).toMatchObject({ via: 'app', conversationId: id });
  // The conversation says how it got there: "Why here" and its audit trail.
  const conversation = await show(admin, `/app/conversations/${id}`);
  expect(conversation.body).toContain(
    'Why here: routed to support by hand (restored from the ignored posts)',
  );
  expect(conversation.body).toContain(
    'Restored from the ignored posts (ignored as “spam” by the default policy)',
  );

  const again = await t.postForm(admin, `${PAGE}/restore`, { postId: spam.postId });
  expect(again.headers.location).toBe(`${PAGE}?done=already`);
  expect((await show(admin, again.headers.location as string)).body).toContain(
    'That post was restored already: it is in a conversation now.',
  );
});

it('a moderator restores into moderation with the form, with the intent chosen', async () => {
  const res = await t.postForm(moderator, `${PAGE}/restore`, {
    postId: hostile.postId,
    queue: 'moderation',
    intent: 'feedback',
  });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toMatch(
    /^\/app\/ignored\?done=restored&conversation=[0-9a-f-]{36}&queue=moderation$/,
  );
  const [c] = await fx.f.q(
    'select c.queue, c.intent from conversations c join posts p on p.conversation_id = c.id where p.id = $1',
    [hostile.postId],
  );
  expect(c).toEqual({ queue: 'moderation', intent: 'feedback' });
});

it('a post deleted on the platform shows no restore form, and a form for it says why it was not restored', async () => {
  const gone = await fx.ingest('deleter', SPAM.replace('iPhone', 'phone case'));
  await fx.f.q('update posts set deleted_at = now() where id = $1', [gone.postId]);
  const page = await show(admin);
  expect(page.body).toContain('Deleted on the platform by its author: nothing to answer.');
  expect(page.body).not.toContain(`value="${gone.postId}"`);
  const res = await t.postForm(admin, `${PAGE}/restore`, { postId: gone.postId });
  expect(res.headers.location).toBe(`${PAGE}?done=deleted`);
  expect((await show(admin, res.headers.location as string)).body).toContain(
    'That post was deleted on the platform by its author: there is nothing to answer.',
  );
});
