/** The inbox page: views with counts, filters, sort, and the (hydrated) conversation list. */

import type { InboxRow, InboxSort, InboxView } from '../../db/repositories/inbox.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { CHANNEL_KINDS, INTENTS, PRIORITY_LEVELS, SENTIMENTS } from '../../domain/types.ts';
import { InboxList } from './inbox-list.tsx';
import { AppLayout, IslandData } from './layout.tsx';

export interface InboxPageProps {
  query: Record<string, string | number | undefined>;
  view: InboxView;
  sort: InboxSort;
  items: InboxRow[];
  /** Keyset cursor for the next page, or null on the last one. */
  next: string | null;
  /** Per view, without the filters (capped). */
  counts: Record<string, number>;
  /** The current view with the filters, when there are filters. */
  filtered: { count: number; atLeast: boolean } | null;
  user: PublicUser;
  csrfToken: string;
}

const VIEWS: [InboxView, string][] = [
  ['mine', 'Mine'],
  ['unassigned', 'Unassigned'],
  ['team', 'Team'],
  ['breaching', 'Breaching soon'],
  ['waiting', 'Waiting on customer'],
  ['resolved', 'Resolved'],
  ['all', 'All open'],
];

function qs(
  q: Record<string, string | number | undefined>,
  over: Record<string, string | undefined> = {},
): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...over }))
    if (v !== undefined && v !== '' && k !== 'after') p.set(k, String(v));
  return p.toString();
}

/** A filter's select with "any" first (the inbox's and the ignored posts' filters). */
export function Select({
  name,
  options,
  value,
  text,
}: {
  name: string;
  options: readonly string[];
  value?: string;
  text: string;
}) {
  return (
    <label>
      {text}{' '}
      <select name={name}>
        <option value="">any</option>
        {options.map((o) => (
          <option value={o} selected={o === value} key={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function InboxPage(p: InboxPageProps) {
  const q = p.query as Record<string, string | undefined>;
  const search = qs(p.query, { view: p.view, sort: p.sort });
  const listProps = {
    items: p.items,
    search,
    csrfToken: p.csrfToken,
    canHandOff: p.user.role === 'marketing',
  };
  const paged = Boolean(q.after);
  return (
    <AppLayout title="Inbox" user={p.user} csrfToken={p.csrfToken} current="inbox">
      <h1>Inbox</h1>
      <nav aria-label="Views" class="views">
        <ul>
          {VIEWS.map(([v, text]) => (
            <li key={v}>
              <a href={`/app?${qs(p.query, { view: v })}`} aria-current={v === p.view ? 'page' : undefined}>
                {text}
                {v !== 'all' && (
                  <span class="badge" data-count={v}>
                    {(p.counts[v] ?? 0) >= 1000 ? '1000+' : String(p.counts[v] ?? 0)}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/app" class="filters" aria-label="Filters">
        <input type="hidden" name="view" value={p.view} />
        <Select name="channel" text="Channel" options={CHANNEL_KINDS} value={q.channel} />
        <Select name="intent" text="Intent" options={INTENTS} value={q.intent} />
        <Select name="sentiment" text="Sentiment" options={SENTIMENTS} value={q.sentiment} />
        <Select name="priority" text="Priority" options={PRIORITY_LEVELS} value={q.priority} />
        <label>
          Language <input name="language" size={5} value={q.language ?? ''} />
        </label>
        <label>
          Tag <input name="tag" size={10} value={q.tag ?? ''} />
        </label>
        <label>
          Sort{' '}
          <select name="sort">
            <option value="sla" selected={p.sort === 'sla'}>
              SLA due
            </option>
            <option value="priority" selected={p.sort === 'priority'}>
              Priority
            </option>
            <option value="age" selected={p.sort === 'age'}>
              Age
            </option>
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>
      <p class="hint">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> open, <kbd>x</kbd> select, <kbd>a</kbd> assign
        to me, <kbd>e</kbd> resolve.
      </p>
      {p.filtered && (
        <p class="hint" id="filtered-count">
          {`${p.filtered.count}${p.filtered.atLeast ? '+' : ''} matching the filters in this view`}
        </p>
      )}
      <div id="inbox-list" data-island="inbox">
        <InboxList {...listProps} />
      </div>
      <IslandData id="inbox" data={listProps} />
      <nav aria-label="Pages" class="pages">
        {paged && <a href={`/app?${search}`}>First page</a>}{' '}
        {p.next && <a href={`/app?${search}&after=${encodeURIComponent(p.next)}`}>Next page</a>}
      </nav>
    </AppLayout>
  );
}
