/**
 * The agents page in headless Chromium: no serious or critical axe violations (for admins, also with a
 * refused form and every edit form open; for supervisors, read-only), and a form round trip without
 * JavaScript.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seriousViolations, useBrowserApp } from '../../../test/helpers/browser.ts';

const app = useBrowserApp();
const pageAs = (role: 'admin' | 'supervisor') => app.pageAs(role);
const violations = seriousViolations;
const openAll = (page: Page) =>
  page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });

it('agents: an admin saves an agent’s settings, a refused form keeps what was typed, no axe violations', async () => {
  const agent = await app.t.signIn('agent');
  await app.t.signIn('marketing');
  const page = await pageAs('admin');
  await page.goto(`${app.base}/app/settings/agents`);
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
  await page.goto(`${app.base}/app/settings/agents`);
  expect(await page.textContent('main')).toContain('only admins change them');
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 120_000);
