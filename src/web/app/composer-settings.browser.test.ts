/** The composer settings page in headless Chromium: no axe violations, and a form round trip without JavaScript. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useBrowserApp } from '../../../test/helpers/browser.ts';

// axe runs as a script in the page; the forms themselves are plain HTML (see routes.test.ts).
const app = useBrowserApp();

/** Every axe violation, whatever its impact (stricter than seriousViolations). */
const violations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`,
  );

it('composer settings: add a guideline and a canned reply, a refused form, no axe violations', async () => {
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/composer`);
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
