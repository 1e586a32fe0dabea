/**
 * "Assigned to you" notices, pushed by the realtime stream (`assigned`, src/http/realtime/routes.ts)
 * whenever a conversation gets the signed-in agent as its owner — by the pipeline, a backlog run or a
 * colleague (not by the agent themselves). Shown in the layout's polite live region #assigned-notices with
 * a link, at most MAX_ASSIGNED, each dismissable; the conversation already open on this page is not
 * announced. A big batch lists some conversations and counts the rest: "3 more … — your conversations".
 */
import { conversationHref } from './sla-notices.ts';

export const MAX_ASSIGNED = 5;

function notice(
  region: HTMLElement,
  key: string,
  text: string,
  href: string,
  linkText: string,
  what: string,
) {
  for (const old of region.querySelectorAll<HTMLElement>('.assigned-notice')) {
    if (old.dataset.key === key) old.remove();
  }
  const p = document.createElement('p');
  p.className = 'sla-notice assigned-notice';
  p.dataset.key = key;
  const link = document.createElement('a');
  link.href = href;
  link.textContent = linkText;
  link.setAttribute('aria-label', `Open ${what}`);
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.textContent = 'Dismiss';
  dismiss.setAttribute('aria-label', `Dismiss the notice about ${what}`);
  dismiss.addEventListener('click', () => p.remove());
  p.append(`${text} — `, link, ' ', dismiss);
  region.prepend(p);
}

export function showAssignedNotices(
  region: HTMLElement,
  ids: readonly string[],
  openId?: string,
  more = 0,
): void {
  for (const id of ids) {
    if (id === openId) continue;
    const short = id.slice(0, 8);
    notice(
      region,
      id,
      'A conversation was assigned to you',
      conversationHref({ conversationId: id }),
      'open conversation',
      `conversation ${short}`,
    );
  }
  // Last, so it is on top and survives the trim below.
  if (more > 0) {
    const n = `${more} more conversation${more === 1 ? ' was' : 's were'}`;
    notice(
      region,
      'more',
      `${n} assigned to you`,
      '/app?view=mine',
      'your conversations',
      'your conversations',
    );
  }
  const all = region.querySelectorAll('.assigned-notice');
  for (let i = MAX_ASSIGNED; i < all.length; i++) all[i]!.remove();
}
