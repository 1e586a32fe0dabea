/**
 * The ignored posts page in headless Chromium: a supervisor restores a spam post with its form (a plain
 * POST), sees the notice, follows its link to the conversation; no serious or critical axe violations
 * on the list or after the restore.
 */
import { beforeAll, expect, it } from 'vitest';
import { seriousViolations, useBrowserApp } from '../../../test/helpers/browser.ts';
import { ignoredPostsFixture, RAFFLE, SPAM } from '../../http/ignored-posts/fixtures.test-helper.ts';

const app = useBrowserApp();
let fx: Awaited<ReturnType<typeof ignoredPostsFixture>>;
beforeAll(async () => {
  fx = await ignoredPostsFixture(app.t, await app.t.signIn('admin'));
});

it('ignored posts: a supervisor restores a post with the form and opens its conversation, no axe violations', async () => {
  const spam = await fx.ingest('browser-spammer', SPAM, { url: 'https://x.example/status/9' });
  await fx.ingest('browser-raffler', RAFFLE);
  const page = await app.pageAs('supervisor');
  await page.goto(`${app.base}/app/ignored`);
  expect(await page.textContent('h1')).toBe('Ignored posts');
  expect(await page.textContent('table.reasons')).toContain('spam');
  expect(await page.textContent('table.ignored')).toContain('@browser-spammer');
  expect(await seriousViolations(page)).toEqual([]);

  const form = `form.restore:has(input[name="postId"][value="${spam.postId}"])`;
  await page.selectOption(`${form} select[name="queue"]`, 'support');
  await page.selectOption(`${form} select[name="intent"]`, 'question');
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('text=Restored: conversation');
  expect(await page.textContent('main')).not.toContain('@browser-spammer');
  expect(await page.textContent('.notice')).toMatch(
    /^Restored: conversation [0-9a-f]{8} opened in support — open it$/,
  );
  expect(await seriousViolations(page)).toEqual([]);

  const [{ conversation_id: id }] = await fx.f.q('select conversation_id from posts where id = $1', [
    spam.postId,
  ]);
  await page.click('.notice a:text("open it")');
  await page.waitForURL(`${app.base}/app/conversations/${id}`);
  expect(await page.textContent('main')).toContain('Click here to win');
  await page.close();
}, 120_000);
