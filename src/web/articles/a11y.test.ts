/** The public knowledge base, blog and search pages in a real browser: axe finds no violations. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { launchChromium } from '../../lib/chromium.ts';

let t: TestApp;
let browser: Browser;
let base: string;
const slugs: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const editor = await t.signIn('admin');
  const cat = await t.app.inject({
    method: 'POST',
    url: '/api/articles/categories',
    headers: editor,
    payload: { kind: 'kb', name: 'Account', description: 'Signing in and security.' },
  });
  slugs.category = cat.json().category.slug;
  const post = async (payload: Record<string, unknown>) =>
    (await t.app.inject({ method: 'POST', url: '/api/articles', headers: editor, payload })).json().article
      .slug;
  slugs.kb = await post({
    kind: 'kb',
    title: 'Reset your password',
    summary: 'Forgot it? Reset it in a minute.',
    categoryId: cat.json().category.id,
    tags: ['account', 'password'],
    status: 'published',
    body: '## Steps\n\n1. Open **Sign in**\n2. Choose *Forgot password*\n\n| Step | Time |\n|---|---|\n| Email | 1 min |\n\n> Tip: check spam.\n\n`code` and [a link](/kb).',
  });
  await post({ kind: 'kb', title: 'Password rules', body: 'At least 10 characters.', status: 'published' });
  slugs.blog = await post({
    kind: 'blog',
    title: 'What is new in March',
    summary: 'Faster search.',
    body: 'We made password search faster.',
    status: 'published',
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('public article pages are accessible', () => {
  const pages = () => [
    '/kb',
    `/kb/${slugs.kb}`,
    `/kb/${slugs.kb}?voted=yes`,
    `/kb/category/${slugs.category}`,
    '/kb?tag=account',
    '/blog',
    `/blog/${slugs.blog}`,
    '/search?q=password',
    '/search?q=nothing-matches-this',
    '/kb/does-not-exist',
  ];

  it('has no axe violations on any page, and voting works without JavaScript', async () => {
    // axe runs as a script in the page; the reader's no-JS experience is checked below.
    const axeContext = await browser.newContext();
    const axePage = await axeContext.newPage();
    const failures: string[] = [];
    let checks = 0;
    for (const path of pages()) {
      await axePage.goto(`${base}${path}`);
      const result = await new AxeBuilder({ page: axePage }).analyze();
      checks += result.passes.length;
      for (const v of result.violations) failures.push(`${path}: ${v.id} (${v.nodes.length}) ${v.help}`);
    }
    await axeContext.close();
    expect(failures).toEqual([]);
    expect(checks).toBeGreaterThan(pages().length * 5);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // No-JS vote: the form posts with its CSRF field and comes back with a thank-you.
    await page.goto(`${base}/kb/${slugs.kb}`);
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.waitForURL(/voted=yes/);
    expect(await page.getByRole('status').textContent()).toContain('Thanks');
    // No-JS search from the box on the page.
    await page.goto(`${base}/kb`);
    await page.getByLabel(/Search help articles/).fill('password');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=password/);
    expect(await page.locator('.kb-hits a').first().textContent()).toMatch(/password/i);
    await context.close();
  }, 120_000);
});
