/**
 * Browser entry (built by Vite into dist/web/client.js): hydrates the islands rendered on the server
 * (the same components), opens the realtime stream and keeps presence heartbeats going; on the pipeline
 * page, keeps the status figures up to date (pipeline-live.tsx).
 */
import { hydrate, render } from 'preact';
import type { ConversationDetail } from '../../http/conversations/detail.ts';
import type { SlaNotice } from '../../http/realtime/sla-alerts.ts';
import { manyAssigned, newlyAssigned, oneAssigned, showAssignedNotices } from './assigned-notices.ts';
import { Composer, type ComposerProps } from './composer.tsx';
import { ThreadPart } from './conversation-parts.tsx';
import { desktopAlert, mountDesktopAlertsToggle } from './desktop-alerts.ts';
import { InboxList, type InboxListProps } from './inbox-list.tsx';
import { startPipelineLive } from './pipeline-live.tsx';
import {
  DEAD_LETTERS_CHANGED,
  STATUS_ISLAND,
  STATUS_ROOT,
  type StatusBlockProps,
} from './pipeline-status.tsx';
import { conversationHref, showSlaNotices, slaNoticeText } from './sla-notices.ts';

function props<T>(id: string): T | null {
  const el = document.getElementById(`island-${id}`);
  return el?.textContent ? (JSON.parse(el.textContent) as T) : null;
}

function announce(text: string) {
  const el = document.getElementById('live-status');
  if (el) el.textContent = text;
}

const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
const conv = document.querySelector<HTMLElement>('[data-conversation]');
const conversationId = conv?.dataset.conversation;

const inbox = props<InboxListProps>('inbox');
const inboxEl = document.getElementById('inbox-list');
if (inbox && inboxEl) hydrate(<InboxList {...inbox} />, inboxEl);
const composer = props<ComposerProps>('composer');
const composerEl = document.getElementById('composer');
if (composer && composerEl) hydrate(<Composer {...composer} />, composerEl);
const pipelineStatus = props<StatusBlockProps>(STATUS_ISLAND);
const pipelineEl = document.getElementById(STATUS_ROOT);
if (pipelineStatus && pipelineEl) {
  startPipelineLive(pipelineEl, pipelineStatus, document.getElementById(DEAD_LETTERS_CHANGED));
}

function showPresence(others: { name: string; state: string }[]) {
  const el = document.getElementById('presence');
  if (!el) return;
  el.textContent = others.length
    ? `Also here: ${others.map((o) => `${o.name} (${o.state === 'typing' ? 'typing' : 'viewing'})`).join(', ')}`
    : '';
}

const stream = new EventSource(`/api/realtime${conversationId ? `?conversationId=${conversationId}` : ''}`);
stream.addEventListener('hello', (e) => {
  // The server subscribes this stream to every event before it says hello: from here nothing is missed.
  document.documentElement.dataset.stream = 'open';
  showPresence(JSON.parse((e as MessageEvent).data).presence ?? []);
});
stream.addEventListener('error', () => {
  document.documentElement.dataset.stream = 'reconnecting';
});
stream.addEventListener('presence', (e) => showPresence(JSON.parse((e as MessageEvent).data).others ?? []));
const threadEl = document.getElementById('conversation-thread');
let shownVersion = Number(conv?.dataset.version ?? 0);
/** Posts on screen (thread + sidebar): the server rendered them; new ones are announced. */
let shownPosts = threadEl ? threadEl.querySelectorAll('li.post').length : 0;
let rendered = false;
let refreshing: Promise<void> | null = null;
let again = false;

/** Re-read the open conversation and re-render its thread, sidebar and replies in place. */
function refreshConversation(): Promise<void> {
  if (!conversationId) return Promise.resolve();
  if (refreshing) {
    again = true; // one more read after the current one: never miss the last change
    return refreshing;
  }
  refreshing = fetch(`/api/conversations/${conversationId}`, { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<ConversationDetail>) : null))
    .then((d) => {
      if (!d) return;
      const posts = d.thread.length + d.sidebar.length;
      if (threadEl) {
        if (!rendered) threadEl.replaceChildren(); // first time: take over the server-rendered markup
        rendered = true;
        render(
          <ThreadPart detail={d} csrf={csrf} canApprove={threadEl.dataset.canApprove === 'true'} />,
          threadEl,
        );
      }
      const changed = d.conversation.version > shownVersion || posts !== shownPosts;
      if (d.conversation.version > shownVersion) {
        shownVersion = d.conversation.version;
        // The composer keeps the version it was opened on and warns before a send on a stale view.
        window.dispatchEvent(new CustomEvent('earshot:version', { detail: d.conversation.version }));
      }
      if (changed) announce('New activity in this conversation: the thread is up to date.');
      shownPosts = posts;
    })
    .catch(() => {})
    .finally(() => {
      refreshing = null;
      if (again) {
        again = false;
        void refreshConversation();
      }
    });
  return refreshing;
}

stream.addEventListener('conversations.changed', (e) => {
  const data = JSON.parse((e as MessageEvent).data) as { ids: string[]; many: boolean };
  if (conversationId) {
    if (data.many || data.ids.includes(conversationId)) void refreshConversation();
  } else {
    window.dispatchEvent(new Event('earshot:changed'));
  }
});
stream.addEventListener('reply.failed', () => {
  void refreshConversation();
  announce('A reply failed to send: the error is shown with the reply, and its text is kept as your draft.');
});
stream.addEventListener('assigned', (e) => {
  const region = document.getElementById('assigned-notices');
  const data = JSON.parse((e as MessageEvent).data) as { ids?: string[]; more?: number };
  if (region) showAssignedNotices(region, data.ids ?? [], conversationId, data.more ?? 0);
  // A system notification too while the tab is in the background: one conversation, or the count.
  const ids = newlyAssigned(data.ids ?? [], conversationId);
  const total = ids.length + (data.more ?? 0);
  const m = total === 1 && ids[0] ? oneAssigned(ids[0]) : total > 1 ? manyAssigned(total) : null;
  if (m) desktopAlert({ title: m.text, body: 'Earshot', href: m.href, tag: `assigned:${m.key}` });
});
stream.addEventListener('sla.alert', (e) => {
  const region = document.getElementById('sla-notices');
  const alerts = (JSON.parse((e as MessageEvent).data).alerts ?? []) as SlaNotice[];
  if (region) showSlaNotices(region, alerts);
  for (const a of alerts)
    desktopAlert({
      title: slaNoticeText(a),
      body: 'Earshot',
      href: conversationHref(a),
      tag: `sla:${a.conversationId}`,
    });
});
const desktopAlertsEl = document.getElementById('desktop-alerts');
if (desktopAlertsEl) mountDesktopAlertsToggle(desktopAlertsEl);

if (conversationId) {
  const beat = (state: string) =>
    fetch(`/api/conversations/${conversationId}/presence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ state }),
      keepalive: state === 'left',
    })
      .then((r) => r.json())
      .then((d: { others?: { name: string; state: string }[] }) => d.others && showPresence(d.others))
      .catch(() => {});
  void beat('viewing');
  setInterval(() => void beat('viewing'), 10_000);
  window.addEventListener('pagehide', () => void beat('left'));
}
