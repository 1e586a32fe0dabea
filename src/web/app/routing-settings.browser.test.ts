/**
 * The routing rules and SLA policies pages in headless Chromium: no serious or critical axe violations
 * (also with a refused form, every edit form open, a tried post and an impact preview), and form round
 * trips without JavaScript.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowserApp, seriousViolations as violations } from '../../../test/helpers/browser.ts';

// axe runs as a script in the page; the forms themselves are plain HTML (see the routes tests).
const app = useBrowserApp();
const openAll = (page: Page) =>
  page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });

it('routing rules: add a rule, a refused form keeps what was typed, move it, no axe violations', async () => {
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/routing`);
  expect(await violations(page)).toEqual([]);

  await page.fill('#rule-new-name', 'Refunds to billing');
  await page.check('#rule-new-intents input[value="complaint"]');
  await page.fill('#rule-new-keywordsAny', 'refund, money back');
  await page.selectOption('#rule-new-queue', 'support');
  await page.fill('#rule-new-team', 'billing');
  await page.click('text=Add rule');
  await page.waitForSelector('text=Rule added.');
  expect(await page.textContent('.settings-list')).toContain('Refunds to billing');

  // Ignoring without a reason: refused, the error next to the field, the rest kept.
  await page.fill('#rule-new-name', 'Giveaways');
  await page.fill('#rule-new-keywordsAny', 'giveaway');
  await page.selectOption('#rule-new-queue', 'ignore');
  await page.click('text=Add rule');
  await page.waitForSelector('text=Ignoring needs a reason.');
  expect(await page.inputValue('#rule-new-name')).toBe('Giveaways');
  expect(await page.inputValue('#rule-new-keywordsAny')).toBe('giveaway');
  await openAll(page);
  expect(await violations(page)).toEqual([]);

  await page.fill('#rule-new-ignoreReason', 'promotional spam');
  await page.click('text=Add rule');
  await page.waitForSelector('text=Rule added.');
  await page.click('button:has-text("Move up"):not([disabled])');
  await page.waitForSelector('text=Order saved.');
  const names = await page.$$eval('.settings-list strong', (els) => els.map((e) => e.textContent));
  expect(names).toEqual(['Giveaways', 'Refunds to billing']);
  await page.close();
}, 120_000);

it('routing rules: try a post, then preview a rule’s impact; no axe violations', async () => {
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/routing`);
  // Not about refunds or giveaways: the rules the first test saved do not match it.
  const post = 'My order arrived broken and nobody answers. Worst service ever.';
  await page.fill('#try-text', `${post} "><img src=x onerror=alert(1)>`);
  await page.selectOption('#try-channel', 'x');
  await page.fill('#try-followers', '1200');
  await page.click('button:has-text("Try routing")');
  await page.waitForSelector('text=What the pipeline would decide');
  const decision = await page.textContent('.try-result');
  expect(decision).toContain('It would go to the support queue, decided by the default policy.');
  expect(decision).toContain('reach +');
  expect(await page.inputValue('#try-followers')).toBe('1200');
  expect(await page.$('img[src="x"]')).toBeNull();
  expect(await violations(page)).toEqual([]);

  await page.fill('#rule-new-name', 'Broken orders');
  await page.fill('#rule-new-keywordsAny', 'broken');
  await page.fill('#rule-new-team', 'logistics');
  await page.click('#rule-new-name >> xpath=ancestor::form//button[contains(., "Preview impact")]');
  await page.waitForSelector('h2#impact');
  expect(await page.textContent('h2#impact')).toBe('Impact of rule “Broken orders” on the last 500 posts');
  expect(await page.inputValue('#rule-new-name')).toBe('Broken orders');
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);

it('SLA policies: add a policy with business hours, a refused form, no axe violations', async () => {
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/sla`);
  expect(await violations(page)).toEqual([]);

  await page.fill('#policy-new-name', 'Support office hours');
  await page.check('#policy-new-queues input[value="support"]');
  await page.fill('#policy-new-firstResponseMinutes', '60');
  await page.check('#policy-new-businessHours');
  await page.fill('#policy-new-timeZone', 'Europe/Berlin');
  await page.fill('#policy-new-hoursMon', '09:00-12:00, 13:00-17:00');
  await page.click('text=Add SLA policy');
  await page.waitForSelector('text=SLA policy added.');
  expect(await page.textContent('.settings-list')).toContain('Mon 09:00–12:00, 13:00–17:00');

  await page.fill('#policy-new-name', 'Bad zone');
  await page.check('#policy-new-businessHours');
  await page.fill('#policy-new-timeZone', 'Mars/Olympus');
  await page.click('text=Add SLA policy');
  await page.waitForSelector('text=Unknown time zone Mars/Olympus.');
  expect(await page.inputValue('#policy-new-name')).toBe('Bad zone');
  await openAll(page);
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);
