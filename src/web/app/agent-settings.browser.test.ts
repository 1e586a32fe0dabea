/**
 * The agents page in headless Chromium: no serious or critical axe violations (for admins, also with a
 * refused form and every edit form open; for supervisors, read-only), and a form round trip without
 * JavaScript.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { ensureClientBundle } from '../client-bundle.ts';

let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await ensureClientBundle();
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A page signed in with a new account of the role. */
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
const openAll = (page: Page) =>
  page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });

it('agents: an admin saves an agent’s settings, a refused form keeps what was typed, no axe violations', async () => {
  const agent = await t.signIn('agent');
  await t.signIn('marketing');
  const page = await pageAs('admin');
  await page.goto(`${base}/app/settings/agents`);
  expect(await violations(page)).toEqual([]);

  const form = `form[action="/app/settings/agents/${agent.userId}"]`;
  await page.click(`details:has(${form}) summary`);
  await page.fill(`${form} [name="capacity"]`, '3');
  await page.fill(`${form} [name="team"]`, 'billing');
  await page.fill(`${form} [name="languages"]`, 'en, pt-BR');
  await page.check(`${form} input[name="channels"][value="email"]`);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('text=Agent settings saved.');
  expect(await page.textContent('table.agents')).toContain('en, pt-br');

  // A language that is no tag: refused, the error next to the field, the rest kept.
  await page.click(`details:has(${form}) summary`);
  await page.fill(`${form} [name="team"]`, 'vip');
  await page.fill(`${form} [name="languages"]`, 'en, english!');
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('.field-error');
  expect(await page.textContent('.field-error')).toBe(
    '"english!" is not a language tag such as en or pt-br.',
  );
  expect(await page.inputValue(`${form} [name="team"]`)).toBe('vip');
  expect(await page.isChecked(`${form} input[name="channels"][value="email"]`)).toBe(true);
  await openAll(page);
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);

it('agents: supervisors read the list without forms, no axe violations', async () => {
  const page = await pageAs('supervisor');
  await page.goto(`${base}/app/settings/agents`);
  expect(await page.textContent('main')).toContain('only admins change them');
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);
