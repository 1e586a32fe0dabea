/** The public community pages in headless Chromium: axe-core finds no violations, no JavaScript needed. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';
import { launchChromium } from '../../lib/chromium.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let topicPath: string;
let username: string;

beforeAll(async () => {
  t = await createTestApp();
  const repo = communityRepository(t.ctx.database.db);
  const cat = await repo.createCategory({
    slug: 'billing',
    name: 'Billing',
    description: 'Invoices and payments',
  });
  const mod = await t.signIn('moderator');
  const headers = { cookie: mod.cookie, 'x-csrf-token': mod['x-csrf-token'] };
  const res = await t.app.inject({
    method: 'POST',
    url: '/community/topics',
    headers,
    payload: {
      title: 'How do I download an invoice?',
      body: 'Where are **invoices**?\n\n> quote\n\n- a\n- b',
      categoryId: cat.id,
      tags: 'invoices',
    },
  });
  const { topicId } = res.json();
  await t.app.inject({
    method: 'POST',
    url: `/community/t/${topicId}/replies`,
    headers,
    payload: { body: 'Under *Account → Billing*.' },
  });
  const topic = (await repo.topicById(topicId))!;
  topicPath = `/community/t/${topic.slug}/${topic.id}`;
  username = (await repo.profileByUserId(mod.userId))!.username;
  await t.ctx.database.pool.query('analyze community_posts');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t.close();
});

describe('public community pages are accessible', () => {
  const pages = () => [
    '/community',
    '/community/latest',
    '/community/unanswered',
    '/community/c/billing?sort=top',
    '/community/tags',
    '/community/tags/invoices',
    topicPath,
    `/community/u/${username}`,
    '/community/search?q=invoice',
    '/community/signup',
  ];

  it('has no axe violations', async () => {
    const context = await browser.newContext();
    try {
      for (const path of pages()) {
        const page = await context.newPage();
        const res = await page.goto(`${base}${path}`);
        expect(res?.status(), path).toBe(200);
        const results = await new AxeBuilder({ page }).analyze();
        const summary = results.violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
        expect(summary, path).toEqual([]);
        await page.close();
      }
    } finally {
      await context.close();
    }
  }, 300_000);

  it('reads without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${base}${topicPath}`);
      expect(await page.title()).toBe('How do I download an invoice? · Community');
      expect(await page.locator('text=Under').count()).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
