/**
 * "Assigned to you" notices, pushed by the realtime stream (`assigned`, src/http/realtime/routes.ts)
 * whenever a conversation gets the signed-in agent as its owner — by the pipeline, a backlog run or a
 * colleague (not by the agent themselves). Shown in the layout's polite live region #assigned-notices with
 * a link, at most MAX_ASSIGNED, each dismissable; the conversation already open on this page is not
 * announced. A batch of more than MAX_ASSIGNED is one notice with the count: "33 conversations were
 * assigned to you — your conversations".
 */
import { conversationHref, prependNotice } from './sla-notices.ts';

export const MAX_ASSIGNED = 5;

const notice = (
  region: HTMLElement,
  key: string,
  text: string,
  href: string,
  linkText: string,
  what: string,
) =>
  prependNotice(region, '.assigned-notice', MAX_ASSIGNED, {
    key,
    className: 'assigned-notice',
    text,
    href,
    linkText,
    linkLabel: `Open ${what}`,
    dismissLabel: `Dismiss the notice about ${what}`,
  });

export function showAssignedNotices(
  region: HTMLElement,
  ids: readonly string[],
  openId?: string,
  more = 0,
): void {
  const news = ids.filter((id) => id !== openId);
  const total = news.length + more;
  if (total > MAX_ASSIGNED || more > 0) {
    // A batch: one notice with the count, on top, instead of a notice per conversation.
    notice(
      region,
      'batch',
      `${total} conversation${total === 1 ? ' was' : 's were'} assigned to you`,
      '/app?view=mine',
      'your conversations',
      'your conversations',
    );
  } else {
    for (const id of news) {
      notice(
        region,
        id,
        'A conversation was assigned to you',
        conversationHref({ conversationId: id }),
        'open conversation',
        `conversation ${id.slice(0, 8)}`,
      );
    }
  }
}
