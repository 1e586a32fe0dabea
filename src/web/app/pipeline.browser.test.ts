/**
 * The pipeline page in headless Chromium: no serious or critical axe violations (admins with the
 * discard confirmations open, supervisors read-only), and retry / discard round trips as plain forms.
 */
import { randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from '../../http/pipeline/fixtures.test-helper.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { ensureClientBundle } from '../client-bundle.ts';

let t: TestApp;
let f: ReturnType<typeof pipelineFixture>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await ensureClientBundle();
  t = await createTestApp();
  f = pipelineFixture(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function pageAs(role: 'admin' | 'supervisor'): Promise<Page> {
  const who = await t.signIn(role);
  const context = await browser.newContext();
  await context.addCookies([{ name: 'es_session', value: who.cookie.split('=')[1]!, url: base }]);
  return context.newPage();
}
const violations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);

it('pipeline: an admin retries and discards dead letters, no axe violations', async () => {
  const channelId = randomUUID();
  await f.enqueue([f.post(channelId, 'late-author'), 'not a post at all']);
  await f.drain();
  const [junkId, postId] = await f.deadLetterIds();
  const page = await pageAs('admin');
  await page.goto(`${base}/app/settings/pipeline`);
  expect(await page.textContent('.figures')).toContain('Dead letters2');
  expect(await violations(page)).toEqual([]);
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  expect(await violations(page)).toEqual([]);

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
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);

it('pipeline: supervisors read the figures and dead letters without forms, no axe violations', async () => {
  await f.enqueue(['still junk']);
  await f.drain();
  const page = await pageAs('supervisor');
  await page.goto(`${base}/app/settings/pipeline`);
  expect(await page.textContent('main')).toContain('only admins retry or discard them');
  expect(await page.textContent('table.dead-letters')).toContain('not an object');
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);
