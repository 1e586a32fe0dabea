/**
 * The inbox list: rendered on the server as a working form (checkboxes + bulk action), hydrated in
 * the browser where it refreshes itself on realtime events and answers keyboard shortcuts.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { InboxRow } from '../../db/repositories/inbox.ts';
import { label, slaText } from './layout.tsx';

export interface InboxListProps {
  items: InboxRow[];
  /** Query string of the current view (the list re-reads /api/inbox?<this>). */
  search: string;
  csrfToken: string;
  canHandOff: boolean;
}

const BULK: [string, string][] = [
  ['assign_me', 'Assign to me'],
  ['unassign', 'Unassign'],
  ['set_waiting_on_customer', 'Waiting on customer'],
  ['resolve', 'Resolve'],
  ['no_response', 'No response needed (not for us)'],
  ['tag', 'Add tag'],
  ['hand_off', 'Hand off to support'],
];

export function InboxList(props: InboxListProps) {
  const [items, setItems] = useState(props.items);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState('');
  const tableRef = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    if (typeof window === 'undefined') return;
    const refresh = async () => {
      const res = await fetch(`/api/inbox?${props.search}`, { headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const body = (await res.json()) as {
        items: InboxRow[];
        counts: Record<string, number>;
        filtered: { count: number; atLeast: boolean } | null;
      };
      setItems(body.items);
      for (const [view, n] of Object.entries(body.counts)) {
        const el = document.querySelector(`[data-count="${view}"]`);
        if (el) el.textContent = n >= 1000 ? '1000+' : String(n);
      }
      const matching = document.getElementById('filtered-count');
      if (matching && body.filtered) {
        matching.textContent = `${body.filtered.count}${body.filtered.atLeast ? '+' : ''} matching the filters in this view`;
      }
    };
    // Bursts of events (a firehose, a bulk action) coalesce: one read in flight, at most one after it.
    let running: Promise<void> | null = null;
    let again = false;
    const onChange = () => {
      if (running) {
        again = true;
        return;
      }
      running = refresh()
        .catch(() => {})
        .finally(() => {
          running = null;
          if (again) {
            again = false;
            onChange();
          }
        });
    };
    window.addEventListener('earshot:changed', onChange);
    return () => window.removeEventListener('earshot:changed', onChange);
  }, [props.search]);

  useEffect(() => {
    if (typeof window === 'undefined') return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const row = items[cursor];
      if (e.key === 'j') setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (e.key === 'k') setCursor((c) => Math.max(0, c - 1));
      else if ((e.key === 'Enter' || e.key === 'o') && row)
        window.location.href = `/app/conversations/${row.id}`;
      else if (e.key === 'x' && row) toggle(row.id);
      else if (e.key === 'a') void bulk('assign_me');
      else if (e.key === 'e') void bulk('resolve');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    tableRef.current?.querySelector<HTMLElement>(`[data-row="${cursor}"] a`)?.focus();
  }, [cursor]);

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function bulk(action: string, extra: Record<string, string> = {}) {
    const ids = selected.size > 0 ? [...selected] : items[cursor] ? [items[cursor]!.id] : [];
    if (ids.length === 0) return;
    const res = await fetch('/api/inbox/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': props.csrfToken },
      body: JSON.stringify({ ids, action, ...extra }),
    });
    const body = (await res.json()) as {
      done?: number;
      failed?: { message: string }[];
      error?: { message: string };
    };
    const failed = body.failed ?? [];
    setMessage(
      body.error
        ? body.error.message
        : `${body.done ?? 0} updated${failed.length ? `, ${failed.length} not: ${failed[0]?.message}` : ''}`,
    );
    setSelected(new Set());
    window.dispatchEvent(new Event('earshot:changed'));
  }

  return (
    <form
      method="post"
      action="/api/inbox/bulk"
      class="inbox"
      onSubmit={(e) => {
        e.preventDefault();
        const f = e.currentTarget as HTMLFormElement;
        const data = new FormData(f);
        void bulk(String(data.get('action')), data.get('tag') ? { tag: String(data.get('tag')) } : {});
      }}
    >
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <div class="bulk">
        <label>
          Bulk action{' '}
          <select name="action">
            {BULK.filter(([v]) => v !== 'hand_off' || props.canHandOff).map(([v, t]) => (
              <option value={v} key={v}>
                {t}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Tag <input name="tag" size={10} />
        </label>{' '}
        <button type="submit">Apply to selected</button>
        <span class="msg" role="status">
          {message}
        </span>
      </div>
      {items.length === 0 ? (
        <p class="empty">Nothing here. Nice.</p>
      ) : (
        <table class="list">
          <caption class="sr">Conversations</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="sr">Select</span>
              </th>
              <th scope="col">Conversation</th>
              <th scope="col">Channel</th>
              <th scope="col">Intent</th>
              <th scope="col">Priority</th>
              <th scope="col">Public state</th>
              <th scope="col">SLA</th>
              <th scope="col">Assignee</th>
            </tr>
          </thead>
          <tbody ref={tableRef}>
            {items.map((c, i) => {
              const sla = slaText(c.slaDueAt);
              return (
                <tr key={c.id} data-row={i} data-id={c.id} class={i === cursor ? 'cur' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      name="ids"
                      value={c.id}
                      aria-label={`Select ${c.subject || c.id}`}
                      checked={selected.has(c.id)}
                      onChange={() => toggle(c.id)}
                    />
                  </td>
                  <td>
                    <a href={`/app/conversations/${c.id}`}>{c.subject || '(no subject)'}</a>
                    <div class="sub">
                      {c.contactName ?? 'unknown contact'} · {label(c.status)} · {c.sentiment}
                      {c.tags.length > 0 && ` · ${c.tags.join(', ')}`}
                    </div>
                  </td>
                  <td>{c.channelKind}</td>
                  <td>{c.intent}</td>
                  <td>{c.priority}</td>
                  <td>{label(c.publicState)}</td>
                  <td class={sla.breached ? 'breach' : undefined}>{sla.text}</td>
                  <td>{c.assigneeName ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </form>
  );
}
