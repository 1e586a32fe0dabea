/** The composer settings page in headless Chromium: no axe violations, and a form round trip without JavaScript. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { ensureClientBundle } from '../client-bundle.ts';

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let base: string;

beforeAll(async () => {
  await ensureClientBundle();
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await t.signIn('admin');
  browser = await launchChromium();
  // axe runs as a script in the page; the forms themselves are plain HTML (see routes.test.ts).
  context = await browser.newContext();
  await context.addCookies([{ name: 'es_session', value: admin.cookie.split('=')[1]!, url: base }]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const violations = async (page: import('playwright-core').Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`,
  );

it('composer settings: add a guideline and a canned reply, a refused form, no axe violations', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/app/settings/composer`);
  expect(await violations(page)).toEqual([]);

  await page.fill('#guidelines-new-phrase', 'calm down');
  await page.fill('#guidelines-new-message', 'Acknowledge the feeling instead.');
  await page.selectOption('#guidelines-new-severity', 'block');
  await page.click('text=Add guideline');
  await page.waitForSelector('text=Guideline added.');

  await page.fill('#canned-replies-new-title', 'Thanks');
  await page.fill('#canned-replies-new-body', 'Hi {{customer.first_name | there}}, thanks!');
  await page.click('text=Add canned reply');
  await page.waitForSelector('text=Canned reply added.');

  // A duplicate phrase comes back with the error next to the field and the text kept.
  await page.fill('#guidelines-new-phrase', 'Calm Down');
  await page.fill('#guidelines-new-message', 'My draft message');
  await page.click('text=Add guideline');
  await page.waitForSelector('text=This phrase is already in the list.');
  expect(await page.inputValue('#guidelines-new-message')).toBe('My draft message');
  // The page with the edit forms open and the error summary: still no violations.
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 60_000);
