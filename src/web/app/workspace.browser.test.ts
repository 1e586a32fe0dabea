import { AxeBuilder } from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { streamOpen } from '../../../test/helpers/browser.ts';
import { posts, replies } from '../../db/schema/index.ts';
import { insertConversation } from '../../http/conversations/fixtures.test-helper.ts';
import { launchChromium } from '../../lib/chromium.ts';
import { ensureClientBundle } from '../client-bundle.ts';

let t: TestApp;
let browser: Browser;
let context: BrowserContext;
let base: string;
let agentId: string;

beforeAll(async () => {
  await ensureClientBundle();
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const agent = await t.signIn('agent');
  agentId = agent.userId;
  browser = await launchChromium();
  context = await browser.newContext();
  await context.addCookies([{ name: 'es_session', value: agent.cookie.split('=')[1]!, url: base }]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('agent workspace in a browser', () => {
  it('inbox: no axe violations, and a stored post appears without reload', async () => {
    await insertConversation(t.ctx.database.db, { subject: 'Existing complaint' });
    const page = await context.newPage();
    await page.goto(`${base}/app?view=unassigned`);
    await page.waitForSelector('text=Existing complaint');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    // Once the event stream is open, store a new conversation and its post.
    await streamOpen(page);
    // a marker on the window proves the page was updated in place, not reloaded
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    await insertConversation(t.ctx.database.db, { subject: 'Arrived live via the bus' });
    // latency is measured by `npm run bench -- inbox`; here only that it arrives without reload
    await page.waitForSelector('text=Arrived live via the bus', { timeout: 15_000 });
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    await page.close();
  });

  it('conversation: no axe violations; live count, one send on a double click, undo', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, {
      intent: 'question',
      subject: 'Where is it',
    });
    // The pipeline's routing record, for the "Why here" panel (opened, so axe checks its content).
    await t.ctx.database.pool.query(
      `insert into conversation_events (conversation_id, type, actor_id, data) values ($1, 'routed', 'system', $2)`,
      [
        conversation.id,
        {
          queue: 'support',
          ruleId: null,
          intent: 'question',
          intentReason: 'question mark',
          sentiment: 'neutral',
          complaintScore: 0.1,
          language: 'en',
          priority: 'normal',
          priorityScore: 20,
          priorityFactors: [{ factor: 'public', points: 10 }],
          threading: 'no_match',
        },
      ],
    );
    const page = await context.newPage();
    await page.goto(`${base}/app/conversations/${conversation.id}`);
    await page.locator('details.triage summary').click();
    expect(await page.locator('details.triage').textContent()).toContain('Priority normal (20 of 100)');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    // A post stored while the view is open appears in the thread without a reload.
    await streamOpen(page);
    await t.ctx.database.db.insert(posts).values({
      conversationId: conversation.id,
      channelKind: 'mastodon',
      externalId: `live-${Date.now()}`,
      direction: 'inbound',
      isPrivate: false,
      authorHandle: 'customer',
      text: 'Any news about my parcel?',
      postedAt: new Date(),
    });
    await page.waitForSelector('#conversation-thread >> text=Any news about my parcel?', { timeout: 5000 });
    await expect.poll(() => page.textContent('#live-status')).toContain('New activity');
    await page.fill('#composer-text', 'We are looking into it right now');
    await expect.poll(() => page.textContent('#composer-count')).toContain('32 / 500');
    await page.dblclick('button.primary');
    await page.waitForSelector('text=Undo');
    const rows = await t.ctx.database.db
      .select()
      .from(replies)
      .where(eq(replies.conversationId, conversation.id));
    expect(rows.filter((r) => r.status === 'scheduled')).toHaveLength(1);
    await page.click('.undo button');
    await expect.poll(() => page.inputValue('#composer-text')).toBe('We are looking into it right now');
    const after = await t.ctx.database.db
      .select()
      .from(replies)
      .where(eq(replies.conversationId, conversation.id));
    expect(after.find((r) => r.authorId === agentId && r.status === 'cancelled')).toBeTruthy();
    await page.close();
  });

  it('an SLA warning for the agent shows as a polite notice linking to the conversation', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { subject: 'Clock running' });
    const page = await context.newPage();
    await page.goto(`${base}/app`);
    await streamOpen(page);
    await t.bus.publish({
      topic: 'sla.alert',
      alerts: [
        {
          conversationId: conversation.id,
          clock: 'first_response',
          kind: 'warning',
          dueAt: '2026-11-24T10:42:00.000Z',
          queue: 'support',
          team: null,
          assigneeId: agentId,
        },
      ],
    });
    const notice = page.locator('#sla-notices[role="status"] .sla-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('SLA warning: first response due 2026-11-24 10:42 UTC');
    expect(await notice.locator('a').getAttribute('href')).toBe(`/app/conversations/${conversation.id}`);
    const axe = await new AxeBuilder({ page }).include('#sla-notices').analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await notice.locator('button').click();
    expect(await page.locator('#sla-notices .sla-notice').count()).toBe(0);
    await page.close();
  });

  it('a conversation assigned to the agent while the inbox is open shows as a polite notice with a link', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { subject: 'Yours now' });
    const page = await context.newPage();
    await page.goto(`${base}/app`);
    await streamOpen(page);
    await t.ctx.database.pool.query('update conversations set assignee_id = $2 where id = $1', [
      conversation.id,
      agentId,
    ]);
    const notice = page.locator('#assigned-notices[role="status"] .assigned-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('A conversation was assigned to you');
    expect(await notice.locator('a').getAttribute('href')).toBe(`/app/conversations/${conversation.id}`);
    const axe = await new AxeBuilder({ page }).include('#assigned-notices').analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await notice.locator('button').click();
    expect(await page.locator('#assigned-notices .assigned-notice').count()).toBe(0);
    // A big batch (30 listed, 3 counted): one notice with the count.
    const batch: string[] = [];
    for (let i = 0; i < 33; i++) {
      batch.push((await insertConversation(t.ctx.database.db, { subject: `batch ${i}` })).conversation.id);
    }
    await t.ctx.database.pool.query('update conversations set assignee_id = $2 where id = any($1)', [
      batch,
      agentId,
    ]);
    const top = page.locator('#assigned-notices .assigned-notice').first();
    await top.waitFor({ timeout: 15_000 });
    await page.waitForFunction(() =>
      document.querySelector('#assigned-notices .assigned-notice')?.textContent?.includes('33'),
    );
    expect(await top.textContent()).toContain('33 conversations were assigned to you');
    expect(await top.locator('a').getAttribute('href')).toBe('/app?view=mine');
    expect(await page.locator('#assigned-notices .assigned-notice').count()).toBe(1);
    await page.close();
  });
});
