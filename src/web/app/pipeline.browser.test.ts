/**
 * The pipeline page in headless Chromium: no serious or critical axe violations (admins with the
 * discard confirmations open, supervisors read-only), retry / discard round trips as plain forms, the
 * status figures updating in place (the live region speaking once per change of the dead letters,
 * nothing read while the tab is hidden), and a dead letter's own page.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { seriousViolations, useBrowserApp } from '../../../test/helpers/browser.ts';
import { pipelineFixture } from '../../http/pipeline/fixtures.test-helper.ts';
import { STATUS_ROOT } from './pipeline-status.tsx';

const app = useBrowserApp();
let f: ReturnType<typeof pipelineFixture>;
beforeAll(() => {
  f = pipelineFixture(app.t);
});

it('pipeline: an admin retries and discards dead letters, no axe violations', async () => {
  const channelId = randomUUID();
  await f.enqueue([f.post(channelId, 'late-author'), 'not a post at all']);
  await f.drain();
  const [junkId, postId] = await f.deadLetterIds();
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/pipeline`);
  expect(await page.textContent('.figures')).toContain('Dead letters2');
  expect(await seriousViolations(page)).toEqual([]);
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  expect(await seriousViolations(page)).toEqual([]);

  await f.connect(channelId);
  await page.click(`form[action$="/dead-letters/${postId}/retry"] button`);
  await page.waitForSelector('text=The dead letter was queued again.');
  expect(await page.textContent('table.dead-letters')).not.toContain('late-author');
  expect((await f.drain()).stored).toBe(1);

  await page.click(`tr:has(th a[href$="/dead-letters/${junkId}"]) summary`);
  await page.click(`form[action$="/dead-letters/${junkId}/discard"] button`);
  await page.waitForSelector('text=The dead letter was discarded.');
  expect(await page.textContent('main')).toContain('None: every post was stored.');
  expect(await f.deadLetterIds()).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
}, 120_000);

it('pipeline: supervisors read the figures and dead letters without forms, no axe violations', async () => {
  await f.enqueue(['still junk']);
  await f.drain();
  const page = await app.pageAs('supervisor');
  await page.goto(`${app.base}/app/settings/pipeline`);
  expect(await page.textContent('main')).toContain('only admins retry or discard them');
  expect(await page.textContent('table.dead-letters')).toContain('not an object');
  expect(await page.$$('main form')).toHaveLength(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
}, 120_000);

type Watched = Window & { said: string[]; statusReads: number; notReloaded?: boolean };

it('pipeline: the status updates in place, speaks once per change of the dead letters, pauses while hidden', async () => {
  await f.drain();
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/pipeline`);
  const deadBefore = (await f.deadLetterIds()).length;
  await page.waitForSelector('.status-block .hint:has-text("update every 5 seconds")');
  await page.evaluate(() => {
    const w = window as unknown as Watched;
    w.notReloaded = true;
    w.said = [];
    w.statusReads = 0;
    const region = document.getElementById('dead-letters-changed')!;
    new MutationObserver(() => w.said.push(region.textContent ?? '')).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    const fetch0 = window.fetch.bind(window);
    window.fetch = (input, init) => {
      if (String(input).includes('/api/pipeline/status')) w.statusReads++;
      return fetch0(input, init);
    };
  });
  // A half-done action: an open discard confirmation stays open through the updates.
  await page.click('table.dead-letters summary');

  await f.enqueue(['a new dead letter']);
  await f.drain();
  const deadNow = `Dead letters${deadBefore + 1}`;
  await page.waitForFunction((t) => document.querySelector('.figures')?.textContent?.includes(t), deadNow, {
    timeout: 60_000,
  });
  const at = await page.getAttribute('.status-block', 'data-at');
  // One more update with the same count: nothing more is said.
  await page.waitForFunction(
    (a) => document.querySelector('.status-block')?.getAttribute('data-at') !== a,
    at,
    {
      timeout: 60_000,
    },
  );
  const said = await page.evaluate(() => (window as unknown as Watched).said);
  expect(said).toEqual([
    `Dead letters: ${deadBefore + 1} now, ${deadBefore} before. Refresh the page to see them in the list.`,
  ]);
  expect(await page.evaluate(() => (window as unknown as Watched).notReloaded)).toBe(true);
  expect(await page.$eval('table.dead-letters details', (d) => (d as HTMLDetailsElement).open)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // Hidden: no reads; shown again: read at once.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  // A read already on its way when the tab was hidden finishes first; only then count.
  await page.waitForFunction((id) => !document.getElementById(id)?.dataset.reading, STATUS_ROOT);
  await page.evaluate(() => {
    (window as unknown as Watched).statusReads = 0;
  });
  await f.enqueue(['one more dead letter']);
  await f.drain();
  await page.waitForTimeout(12_000); // more than two polling intervals
  expect(await page.evaluate(() => (window as unknown as Watched).statusReads)).toBe(0);
  expect(await page.textContent('.figures')).toContain(deadNow);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(
    (t) => document.querySelector('.figures')?.textContent?.includes(t),
    `Dead letters${deadBefore + 2}`,
    {
      timeout: 60_000,
    },
  );
  expect((await page.evaluate(() => (window as unknown as Watched).said)).length).toBe(2);
  await page.close();
}, 240_000);

it("pipeline: a dead letter's own page shows the stored post as text; retry from it", async () => {
  const channelId = randomUUID();
  await f.enqueue([f.post(channelId, 'mallory', '</pre><script>window.owned = true</script>')]);
  await f.drain();
  const [id] = await f.deadLetterIds();
  const page = await app.pageAs('admin');
  await page.goto(`${app.base}/app/settings/pipeline`);
  await page.click(`a[href$="/dead-letters/${id}"]`);
  await page.waitForSelector(`h1:text-is("Dead letter ${id}")`);
  expect(await page.textContent('pre.payload')).toContain('"</pre><script>window.owned = true</script>"');
  expect(await page.evaluate(() => (window as unknown as { owned?: boolean }).owned)).toBeUndefined();
  expect(await seriousViolations(page)).toEqual([]);
  await f.connect(channelId);
  await page.click(`form[action$="/dead-letters/${id}/retry"] button`);
  await page.waitForSelector('text=The dead letter was queued again.');
  expect((await f.drain()).stored).toBe(1);
  await page.close();
}, 120_000);
