/**
 * "Assigned to you" notices, pushed by the realtime stream (`assigned`, src/http/realtime/routes.ts)
 * whenever a conversation gets the signed-in agent as its owner — by the pipeline, a backlog run or a
 * colleague. Shown in the layout's polite live region #assigned-notices with a link, at most
 * MAX_ASSIGNED, each dismissable; the conversation already open on this page is not announced.
 */
import { conversationHref } from './sla-notices.ts';

export const MAX_ASSIGNED = 5;

export function showAssignedNotices(region: HTMLElement, ids: readonly string[], openId?: string): void {
  for (const id of ids) {
    if (id === openId) continue;
    for (const old of region.querySelectorAll<HTMLElement>('.assigned-notice')) {
      if (old.dataset.key === id) old.remove();
    }
    const p = document.createElement('p');
    p.className = 'sla-notice assigned-notice';
    p.dataset.key = id;
    const link = document.createElement('a');
    link.href = conversationHref({ conversationId: id });
    link.textContent = 'open conversation';
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.textContent = 'Dismiss';
    dismiss.setAttribute('aria-label', 'Dismiss: a conversation was assigned to you');
    dismiss.addEventListener('click', () => p.remove());
    p.append('A conversation was assigned to you — ', link, ' ', dismiss);
    region.prepend(p);
  }
  const all = region.querySelectorAll('.assigned-notice');
  for (let i = MAX_ASSIGNED; i < all.length; i++) all[i]!.remove();
}
