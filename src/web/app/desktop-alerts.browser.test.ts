/**
 * Desktop alerts in Chromium: the header's button asks the browser's permission and turns them on; with
 * the tab in the background, a conversation assigned to the agent raises a system notification (the
 * real Notification API, observed through a recording subclass) that leads to the conversation; with the
 * tab in front only the in-page notice is shown. Turned off, nothing more is raised.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations, streamOpen, useBrowserApp } from '../../../test/helpers/browser.ts';
import { insertConversation } from '../../http/conversations/fixtures.test-helper.ts';

const app = useBrowserApp();

/** Records every Notification the page creates, and still creates it. */
const RECORD_NOTIFICATIONS = () => {
  const Real = window.Notification;
  const shown: { title: string; tag?: string }[] = [];
  const made: Notification[] = [];
  Object.assign(window, { __shown: shown, __made: made });
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      shown.push({ title, tag: options?.tag });
      made.push(this);
    }
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recording, 'requestPermission', { value: Real.requestPermission.bind(Real) });
  window.Notification = Recording as typeof Notification;
};

describe('desktop alerts', () => {
  it('off until the agent turns them on; then an assignment while away raises one, leading to the conversation', async () => {
    const { t, base, browser } = app;
    const agent = await t.signIn('agent');
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: base });
    await context.addCookies([{ name: 'es_session', value: agent.cookie.split('=')[1]!, url: base }]);
    await context.addInitScript(RECORD_NOTIFICATIONS);
    const page = await context.newPage();
    await page.goto(`${base}/app`);
    const toggle = page.locator('#desktop-alerts');
    await toggle.getByText('Desktop alerts: off').waitFor();
    await toggle.getByRole('button', { name: 'Turn on desktop alerts' }).click();
    await toggle.getByText('Desktop alerts: on').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const shown = () => page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown);
    const assign = async (subject: string) => {
      const { conversation } = await insertConversation(t.ctx.database.db, { subject });
      await t.ctx.database.pool.query('update conversations set assignee_id = $2 where id = $1', [
        conversation.id,
        agent.userId,
      ]);
      return conversation.id;
    };

    // In front: the in-page notice only.
    await streamOpen(page);
    await assign('Seen in the page');
    await page.locator('#assigned-notices .assigned-notice').first().waitFor({ timeout: 15_000 });
    expect(await shown()).toEqual([]);

    // In the background: a system notification too. Another tab takes the focus; Playwright makes every
    // page think it has the focus, so that emulation is turned off for this one.
    const other = await context.newPage();
    await other.bringToFront();
    const cdp = await context.newCDPSession(page);
    const away = (yes: boolean) => cdp.send('Emulation.setFocusEmulationEnabled', { enabled: !yes });
    await away(true);
    expect(await page.evaluate(() => document.hasFocus())).toBe(false);
    const id = await assign('Raised on the desktop');
    await page.waitForFunction(
      () => (window as unknown as { __shown: unknown[] }).__shown.length === 1,
      null,
      {
        timeout: 15_000,
      },
    );
    expect(await shown()).toEqual([{ title: 'A conversation was assigned to you', tag: `assigned:${id}` }]);

    // Turned off: nothing more.
    await away(false);
    await toggle.getByRole('button', { name: 'Turn off desktop alerts' }).click();
    await toggle.getByText('Desktop alerts: off').waitFor();
    await away(true);
    await assign('Not raised');
    await page.waitForFunction(
      () => document.querySelectorAll('#assigned-notices .assigned-notice').length >= 3,
      null,
      { timeout: 15_000 },
    );
    expect(await shown()).toHaveLength(1);
    // A click on the notification brings the tab back on the conversation.
    await page.evaluate(() => {
      const n = (window as unknown as { __made: Notification[] }).__made[0]!;
      n.onclick?.call(n, new Event('click'));
    });
    await page.waitForURL(`${base}/app/conversations/${id}`);
    await context.close();
  });

  it('says so when the browser blocks notifications, and offers no button', async () => {
    const { t, base, browser } = app;
    const agent = await t.signIn('agent');
    const context = await browser.newContext();
    await context.addCookies([{ name: 'es_session', value: agent.cookie.split('=')[1]!, url: base }]);
    await context.addInitScript(() => {
      Object.defineProperty(Notification, 'permission', { get: () => 'denied' });
    });
    const page = await context.newPage();
    await page.goto(`${base}/app`);
    await page.locator('#desktop-alerts').getByText('Desktop alerts: blocked by the browser').waitFor();
    expect(await page.locator('#desktop-alerts button').isHidden()).toBe(true);
    await context.close();
  });
});
