/**
 * The status block of the pipeline page (/app/settings/pipeline): queued, oldest waiting, stored lately,
 * dead letters. Rendered on the server, and with JavaScript kept up to date in place by pipeline-live.tsx
 * (the same component, re-rendered from `GET /api/pipeline/status`). Without JavaScript the "Refresh"
 * link reloads the page.
 */
import type { PipelineStatus } from '../../db/repositories/pipeline.ts';
import { waitText } from '../../lib/duration.ts';
import { fmtTime, IslandData } from './layout.tsx';

/** The island's id (its props in #island-pipeline-status) and the element the block renders into. */
export const STATUS_ISLAND = 'pipeline-status';
export const STATUS_ROOT = 'pipeline-status-block';
/** The polite live region that says when the number of dead letters changed (pipeline-live.tsx). */
export const DEAD_LETTERS_CHANGED = 'dead-letters-changed';

/** Without JavaScript: static. With it: updating, the last update failed, or refused (signed out). */
export type LiveState = 'static' | 'live' | 'failed' | 'stopped';

export interface StatusBlockProps {
  status: PipelineStatus;
  /** This page again (the same page of dead letters), for the Refresh link. */
  refreshHref: string;
  live?: LiveState;
}

const n = (x: number) => x.toLocaleString('en');

/** "3" or "100,000+" when the count stopped at its cap. */
export const deadLettersText = (s: PipelineStatus) => `${n(s.deadLetters)}${s.deadLettersCapped ? '+' : ''}`;

function Figures({ status: s }: { status: PipelineStatus }) {
  const figures: [string, string, string?][] = [
    ['Queued', `${n(s.queued)}${s.queuedCapped ? '+' : ''}`, 'acknowledged, waiting for triage'],
    [
      'Oldest waiting',
      waitText(s.lagSeconds),
      s.oldestQueuedAt ? `since ${fmtTime(s.oldestQueuedAt)}` : undefined,
    ],
    [
      'Stored, last 5 minutes',
      `${n(s.storedLast5Minutes)}${s.storedCapped && s.storedLast5Minutes >= s.storedLastHour ? '+' : ''}`,
      `${n(s.storedLastHour)}${s.storedCapped ? '+' : ''} in the last hour`,
    ],
    ['Dead letters', deadLettersText(s), 'could not be stored'],
  ];
  return (
    <dl class="figures">
      {figures.map(([term, value, hint]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>
            <strong>{value}</strong>
            {hint && <span class="hint">{hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const LIVE_HINT: Record<LiveState, string> = {
  static: 'Refresh the page for new figures.',
  live: 'The figures update every 5 seconds while this page is in view; refresh the page for the list.',
  failed: 'The figures could not be updated just now (trying again); refresh the page if this stays.',
  stopped: 'The figures are no longer updated (signed out?): refresh the page.',
};

/** The block the client re-renders: heading with the time measured, the figures, how fresh they are. */
export function StatusBlock({ status, refreshHref, live = 'static' }: StatusBlockProps) {
  return (
    <div class="status-block" data-at={status.at}>
      <h2 id="pipeline-status">Status at {fmtTime(status.at)}</h2>
      <Figures status={status} />
      <p class="hint">
        Stored: inbound posts that arrived in that time and are stored. {LIVE_HINT[live]}{' '}
        <a href={refreshHref}>Refresh</a>
      </p>
    </div>
  );
}

/** The section of the page: the block, its island data, and the live region for dead-letter changes. */
export function StatusSection(p: StatusBlockProps) {
  return (
    <section aria-labelledby="pipeline-status">
      <div id={STATUS_ROOT}>
        <StatusBlock {...p} />
      </div>
      <p id={DEAD_LETTERS_CHANGED} class="live-change" role="status" aria-live="polite" />
      <IslandData id={STATUS_ISLAND} data={{ status: p.status, refreshHref: p.refreshHref }} />
    </section>
  );
}
