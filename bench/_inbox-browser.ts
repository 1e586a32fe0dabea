/**
 * Realtime in a real browser: headless Chromium (Debian package) with an agent's inbox open; a new
 * conversation and its post are stored (committed) and the time until its row is in the page's DOM is
 * taken, as the agent would see it (SSE event → inbox re-read → render). Used by `npm run bench -- inbox`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { launchChromium } from '../src/lib/chromium.ts';

export interface BrowserAgent {
  /** Store `samples` new conversations one by one; ms from each commit until its row is on screen. */
  sample(samples: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Launch Chromium and open the agent's inbox (before any load starts: a browser launch is heavy). */
export async function openBrowserAgent(base: string, cookie: string, pool: pg.Pool): Promise<BrowserAgent> {
  if (!existsSync('dist/web/client.js')) execFileSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  const browser = await launchChromium();
  const context = await browser.newContext();
  await context.addCookies([{ name: 'es_session', value: cookie.split('=')[1]!, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/app?view=unassigned`);
  await page.waitForSelector('#inbox-list tr[data-id]');
  await page.waitForTimeout(500); // the event stream opens after hydration
  // The page itself notes when each new row appears (a MutationObserver, wall clock): polling for it with
  // requestAnimationFrame, as waitForSelector does, would keep Chromium rendering and load the machine.
  await page.evaluate(() => {
    const w = window as unknown as { __seen: Record<string, number> };
    w.__seen = {};
    new MutationObserver(() => {
      for (const a of document.querySelectorAll<HTMLAnchorElement>('#inbox-list a')) {
        const text = a.textContent ?? '';
        if (text.startsWith('Live ') && !(text in w.__seen)) w.__seen[text] = Date.now();
      }
    }).observe(document.getElementById('inbox-list')!, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  const seenAt = (subject: string) =>
    page.evaluate(
      (s) => (window as unknown as { __seen: Record<string, number> }).__seen[s] ?? null,
      subject,
    );
  const run = Date.now().toString(36);
  let k = 0;
  return {
    async sample(samples: number) {
      const out: number[] = [];
      for (let i = 0; i < samples; i++, k++) {
        const subject = `Live ${run}-${k}`;
        const t0 = Date.now();
        // Due long ago: it sorts first in the unassigned view (by SLA due), so it must appear on page one.
        const inserted = await pool.query<{ id: string }>(
          `WITH c AS (
             INSERT INTO conversations (channel_kind, subject, queue, intent, sentiment, started_public,
               started_as_public_complaint, first_response_due_at, message_count)
             VALUES ('x', $1, 'support', 'complaint', 'negative', true, true, now() - interval '10 years', 1)
             RETURNING id)
           INSERT INTO posts (conversation_id, channel_kind, external_id, direction, is_private, text, posted_at)
           SELECT id, 'x', $2, 'inbound', false, 'My order never arrived', now() FROM c
           RETURNING conversation_id AS id`,
          [subject, `live-${run}-${k}`],
        );
        let seen: number | null = null;
        for (const until = Date.now() + 10_000; seen === null && Date.now() < until; ) {
          await new Promise((r) => setTimeout(r, 50));
          seen = await seenAt(subject);
        }
        if (seen === null) throw new Error(`${subject} did not appear in the browser within 10 s`);
        out.push(seen - t0);
        // Take it out of the view again so the next sample is the only one due that early.
        await pool.query(`UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`, [
          inserted.rows[0]!.id,
        ]);
        await page.waitForTimeout(200);
      }
      return out;
    },
    close: () => browser.close(),
  };
}
