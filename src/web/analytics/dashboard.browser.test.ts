/**
 * The analytics dashboard and report in headless Chromium: DOM assertions, axe-core without
 * violations, drill-down by clicking a tile, the PDF export. Screenshots go to .tmp/.
 */
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { runAnalyticsRollup } from '../../jobs/analytics-rollup.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { insertAnalyticsFixture, NOW } from '../../services/analytics-fixture.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let cookie: string;
const WEEK_Q = 'period=custom&from=2026-03-02&to=2026-03-08';

beforeAll(async () => {
  t = await createTestApp();
  await insertAnalyticsFixture(t.ctx.database.db);
  await runAnalyticsRollup(t.ctx.database.db, { now: NOW });
  cookie = (await t.signIn('supervisor')).cookie;
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync('.tmp', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function page() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  return context.newPage();
}

describe('analytics in the browser', () => {
  it('the dashboard reads at a glance, is accessible, and drills down', async () => {
    const p = await page();
    await p.goto(`${base}/app/analytics?${WEEK_Q}`);
    expect(await p.locator('h1').textContent()).toBe('Analytics');
    expect(await p.locator('[data-metric="conversations"] .tile-value').textContent()).toBe('7');
    expect(await p.locator('[data-metric="response_rate"] .tile-value').textContent()).toBe('63.6 %');
    const charts = p.locator('svg[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(8);
    for (const svg of await charts.all()) {
      expect(await svg.locator(':scope > title').count()).toBe(1);
      expect(await svg.locator(':scope > desc').textContent()).not.toBe('');
    }
    expect(await p.locator('#ch-volume circle').count()).toBe(7); // every day of the week, zeros included
    expect(await p.locator('#ch-by-channel rect').count()).toBe(4);
    expect(await p.locator('select[name="channel"]').count()).toBe(1);
    const axe = await new AxeBuilder({ page: p }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    await p.screenshot({ path: '.tmp/analytics-dashboard.png', fullPage: true });

    await p.locator('[data-metric="digital_silence"] a').click();
    await p.waitForURL(/\/app\/analytics\/conversations\?/);
    expect(await p.locator('table.data tbody tr').count()).toBe(3);
    const axe2 = await new AxeBuilder({ page: p }).analyze();
    expect(axe2.violations.map((v) => v.id)).toEqual([]);

    // Filters work without JavaScript: choose a channel and submit the form
    await p.goto(`${base}/app/analytics?${WEEK_Q}`);
    await p.selectOption('select[name="channel"]', 'facebook');
    await p.locator('form.filters button[type="submit"]').click();
    await p.waitForURL(/channel=facebook/);
    expect(await p.locator('[data-metric="conversations"] .tile-value').textContent()).toBe('2');
    await p.context().close();
  }, 120_000);

  it('the weekly report prints and exports a PDF', async () => {
    const p = await page();
    await p.goto(`${base}/app/analytics/report?period=week&start=2026-03-04`);
    expect(await p.locator('h1').textContent()).toBe('Weekly report: 2026-03-02 to 2026-03-08');
    expect(await p.locator('#r-roi').count()).toBe(1);
    const axe = await new AxeBuilder({ page: p }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await p.emulateMedia({ media: 'print' });
    expect(await p.locator('.no-print').isVisible()).toBe(false);
    await p.screenshot({ path: '.tmp/analytics-report-print.png', fullPage: true });
    const res = await p.request.get(`${base}/app/analytics/report.pdf?period=week&start=2026-03-04`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const pdf = await res.body();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await p.context().close();
  }, 120_000);
});
