/**
 * The pipeline page's status block, kept up to date in the browser: every POLL_MS it reads
 * `GET /api/pipeline/status` and re-renders the block (pipeline-status.tsx) in place — nothing else on
 * the page changes, so a half-filled form or an open discard confirmation stays as it is. It does not
 * poll while the tab is hidden (`document.visibilityState`) and reads at once when it is shown again.
 * Screen readers hear about it only when the number of dead letters changes: one sentence in the polite
 * live region #dead-letters-changed, not every update.
 */
import { hydrate, render } from 'preact';
import type { PipelineStatus } from '../../db/repositories/pipeline.ts';
import { deadLettersText, type LiveState, StatusBlock, type StatusBlockProps } from './pipeline-status.tsx';

export const POLL_MS = 5000;

/** The live region's sentence when the count went from `before` to `now`. */
export function deadLettersChangedText(before: string, now: string): string {
  return `Dead letters: ${now} now, ${before} before. Refresh the page to see them in the list.`;
}

export function startPipelineLive(root: HTMLElement, initial: StatusBlockProps, region: HTMLElement | null) {
  let status = initial.status;
  let shownDead = deadLettersText(status);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading = false;
  let stopped = false;
  const draw = (live: LiveState) => render(<StatusBlock {...initial} status={status} live={live} />, root);
  const visible = () => document.visibilityState !== 'hidden';

  const schedule = () => {
    clearTimeout(timer);
    timer = !stopped && visible() ? setTimeout(() => void read(), POLL_MS) : undefined;
  };

  async function read(): Promise<void> {
    if (reading || stopped || !visible()) return;
    reading = true;
    root.dataset.reading = 'true'; // while a read is on its way (tests wait for it to settle)
    try {
      const res = await fetch('/api/pipeline/status', { headers: { accept: 'application/json' } });
      // Signed out or no longer allowed: stop asking every few seconds; the page says to refresh.
      if (res.status === 401 || res.status === 403) stopped = true;
      if (!res.ok) throw new Error(`status ${res.status}`);
      status = (await res.json()) as PipelineStatus;
      draw('live');
      const dead = deadLettersText(status);
      if (dead !== shownDead && region) region.textContent = deadLettersChangedText(shownDead, dead);
      shownDead = dead;
    } catch {
      draw(stopped ? 'stopped' : 'failed');
    } finally {
      reading = false;
      delete root.dataset.reading;
      schedule();
    }
  }

  hydrate(<StatusBlock {...initial} />, root);
  draw('live');
  document.addEventListener('visibilitychange', () => {
    if (visible()) void read();
    else clearTimeout(timer);
  });
  schedule();
}
