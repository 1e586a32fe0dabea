/**
 * Browser tests of the app's pages: the app and Chromium for a test file, a page signed in as a new
 * account, and axe's serious findings.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../src/db/schema/index.ts';
import { launchChromium } from '../../src/lib/chromium.ts';
import { ensureClientBundle } from '../../src/web/client-bundle.ts';
import { createTestApp, type TestApp } from './app.ts';

/** A new page in its own browser context, signed in with a new account of the role. */
export async function signedInPage(browser: Browser, t: TestApp, base: string, role: Role): Promise<Page> {
  const who = await t.signIn(role);
  const context = await browser.newContext();
  await context.addCookies([{ name: 'es_session', value: who.cookie.split('=')[1]!, url: base }]);
  return context.newPage();
}

/** Waits until the page's realtime stream is open (client.tsx marks <html data-stream="open"> on its hello). */
export const streamOpen = (page: Page): Promise<unknown> =>
  page.waitForSelector('html[data-stream="open"]', { state: 'attached', timeout: 30_000 });

/** axe's serious and critical violations on the page, as "rule: targets". */
export const seriousViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  /** The app's address, e.g. http://127.0.0.1:41234 */
  base: string;
  /** A new page signed in with a new account of the role. */
  pageAs(role: Role): Promise<Page>;
}

/**
 * For a browser test file: before all tests the client bundle, a test app listening on a free port and
 * Chromium; after all, both closed. Read the fields inside tests (they are set by beforeAll).
 */
export function useBrowserApp(): BrowserApp {
  const app = {} as BrowserApp;
  beforeAll(async () => {
    await ensureClientBundle();
    app.t = await createTestApp();
    app.base = await app.t.app.listen({ port: 0, host: '127.0.0.1' });
    app.browser = await launchChromium();
    app.pageAs = (role) => signedInPage(app.browser, app.t, app.base, role);
  }, 120_000);
  afterAll(async () => {
    await app.browser?.close();
    await app.t?.close();
  });
  return app;
}
