/**
 * The pipeline page in headless Chromium: no serious or critical axe violations (admins with the
 * discard confirmations open, supervisors read-only), and retry / discard round trips as plain forms.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { seriousViolations, useBrowserApp } from '../../../test/helpers/browser.ts';
import { pipelineFixture } from '../../http/pipeline/fixtures.test-helper.ts';

const app = useBrowserApp();
let f: ReturnType<typeof pipelineFixture>;
beforeAll(() => {
  f = pipelineFixture(app.t);
});

it('pipeline: an admin retries and discards dead letters, no axe violations', async () => {
  const channelId = randomUUID();
  await f.enqueue([f.post(channelId, 'late-author'), 'not a post at all']);
  await f.drain();
  const [junkId, postId] = await f.deadLetterIds();
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/pipeline`);
  expect(await page.textContent('.figures')).toContain('Dead letters2');
  expect(await seriousViolations(page)).toEqual([]);
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  expect(await seriousViolations(page)).toEqual([]);

  await f.connect(channelId);
  await page.click(`form[action$="/dead-letters/${postId}/retry"] button`);
  await page.waitForSelector('text=The dead letter was queued again.');
  expect(await page.textContent('table.dead-letters')).not.toContain('late-author');
  expect((await f.drain()).stored).toBe(1);

  await page.click(`tr:has(th:text-is("${junkId}")) summary`);
  await page.click(`form[action$="/dead-letters/${junkId}/discard"] button`);
  await page.waitForSelector('text=The dead letter was discarded.');
  expect(await page.textContent('main')).toContain('None: every post was stored.');
  expect(await f.deadLetterIds()).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
}, 120_000);

it('pipeline: supervisors read the figures and dead letters without forms, no axe violations', async () => {
  await f.enqueue(['still junk']);
  await f.drain();
  const page = await app.pageAs('supervisor');
  await page.goto(`${app.base}/app/settings/pipeline`);
  expect(await page.textContent('main')).toContain('only admins retry or discard them');
  expect(await page.textContent('table.dead-letters')).toContain('not an object');
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
}, 120_000);
